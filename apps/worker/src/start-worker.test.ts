import { listJobEvents } from '@kiln/db';
import { modelFromDefinition, type WeightSpec } from '@kiln/neural-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './start-worker.js';
import { createDigitsJob, createWorkerFixture, digitsModel, readDigits, storeDigits, submitDigitsJob, waitForJob, type WorkerFixture } from './test-support/worker-fixture.js';

// The worker in-process against real Postgres and Redis: a digits job from queue to model version.
let fx: WorkerFixture;
let worker: RunningWorker;
let datasetId: string;

beforeAll(async () => {
  fx = await createWorkerFixture('worker_train');
  datasetId = await storeDigits(fx.db, fx.tenantId);
  worker = await startWorker(fx.env, { reconcileIntervalMs: 0 });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await fx?.close();
});

describe('a digits job', () => {
  it('succeeds with exact epochs, a gap-free event log and a version that predicts the test set', async () => {
    const epochs = 12;
    const started = Date.now();
    const jobId = await submitDigitsJob(fx, datasetId, { epochs, batchSize: 16, checkpointEvery: 5 });
    const job = await waitForJob(fx.db, jobId);
    const seconds = (Date.now() - started) / 1000;
    expect(job).toMatchObject({ status: 'succeeded', attempt: 1, epoch: epochs, progress: 1, modelVersion: 1, errorCode: null });

    const rows = await fx.db.jobEpoch.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } });
    expect(rows.map((r) => r.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i));
    expect(rows.every((r) => r.attempt === 1)).toBe(true);
    expect(rows.at(-1)!.logs).toMatchObject({ loss: expect.any(Number), accuracy: expect.any(Number) });
    expect((rows.at(-1)!.logs as { loss: number }).loss).toBeLessThan((rows[0]!.logs as { loss: number }).loss);
    // checkpointEvery 5 → after 5 and 10 epochs, and after the last; the newest two are kept.
    expect((await fx.db.checkpoint.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } })).map((c) => c.epoch)).toEqual([10, 12]);

    const events = await listJobEvents(fx.db, fx.tenantId, jobId, { limit: 10_000 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const types = new Set(events.map((e) => e.type));
    for (const type of ['status', 'batch', 'epoch', 'diagnostics', 'checkpoint', 'done'] as const) expect(types).toContain(type);
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.data.epoch)).toEqual(rows.map((r) => r.epoch));
    expect(events.filter((e) => e.type === 'checkpoint').map((e) => e.data.epoch)).toEqual([5, 10, 12]);
    expect(events[0]).toMatchObject({ type: 'status', data: { status: 'queued' } });
    expect(events[1]).toMatchObject({ type: 'status', data: { status: 'running', attempt: 1, epoch: 0 } });
    expect(events.at(-1)).toMatchObject({ type: 'done', data: { status: 'succeeded', epoch: epochs, modelVersion: 1 } });
    const batchEvents = events.filter((e) => e.type === 'batch');
    // Sampled to at most ~4 per second (+1 for the boundary).
    expect(batchEvents.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);

    const version = await fx.db.modelVersion.findFirstOrThrow({ where: { jobId } });
    expect(version).toMatchObject({ version: 1, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    const model = modelFromDefinition(digitsModel());
    model.loadWeights({ manifest: version.manifest as unknown as WeightSpec[], data: version.weights });
    const test = readDigits('digits_test.csv');
    const probabilities = model.predict({ shape: [test.rows, 64], data: test.x }).data;
    let correct = 0;
    for (let i = 0; i < test.rows; i++) {
      const row = Array.from(probabilities.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === test.y[i]) correct++;
    }
    const accuracy = correct / test.rows;
    console.log(`digits job: ${epochs} epochs in ${seconds.toFixed(1)} s, ${batchEvents.length} batch events, test accuracy ${accuracy.toFixed(3)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  }, 120_000);

  it('runs nothing for a job whose cancel was requested while it waited', async () => {
    const jobId = await createDigitsJob(fx, datasetId, { epochs: 1 });
    await fx.db.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
    await fx.queue.add('train', { jobId }, { jobId });
    const job = await waitForJob(fx.db, jobId);
    expect(job).toMatchObject({ status: 'cancelled', attempt: 0 });
    expect(await fx.db.jobEpoch.count({ where: { jobId } })).toBe(0);
  });
});

describe('the reconciler', () => {
  it('re-enqueues a job that Postgres has as queued but BullMQ never got (Redis lost it)', async () => {
    const jobId = await createDigitsJob(fx, datasetId, { epochs: 1 });
    // Grace is 10 s by default: make the row look older than that.
    await fx.db.job.update({ where: { id: jobId }, data: { updatedAt: new Date(Date.now() - 60_000) } });
    expect(await fx.queue.getJobState(jobId)).toBe('unknown');
    expect(await worker.reconcile()).toBe(1);
    expect(await waitForJob(fx.db, jobId)).toMatchObject({ status: 'succeeded', attempt: 1 });
    // Idempotent: a second pass finds nothing to do.
    expect(await worker.reconcile()).toBe(0);
  }, 60_000);
});
