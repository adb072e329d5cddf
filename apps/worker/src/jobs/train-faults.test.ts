import { listJobEvents } from '@kiln/db';
import { cancelChannel } from '@kiln/queue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker, type StartWorkerOptions } from '../start-worker.js';
import { createWorkerFixture, digitsModel, storeDigits, submitDigitsJob, waitForBullState, waitForJob, type WorkerFixture } from '../test-support/worker-fixture.js';

// Faults around a training job, in-process with real Postgres, Redis and trainer threads: cancel, divergence, a
// trainer thread that dies, and a worker shutting down mid-epoch.
let fx: WorkerFixture;
let datasetId: string;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  fx = await createWorkerFixture('worker_faults');
  datasetId = await storeDigits(fx.db, fx.tenantId);
}, 60_000);

// Every test starts its own workers; a failed test must not leave one taking the next test's jobs.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

afterAll(async () => {
  await fx?.close();
});

async function worker(options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const running = await startWorker(fx.env, { reconcileIntervalMs: 0, ...options });
  workers.push(running);
  return running;
}

const epochRows = async (jobId: string) => (await fx.db.jobEpoch.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } })).map((r) => [r.epoch, r.attempt]);

describe('cancel', () => {
  it('stops within a batch of the pub/sub message; the job is cancelled and its checkpoints kept', async () => {
    await worker();
    const jobId = await submitDigitsJob(fx, datasetId, { epochs: 200, batchSize: 8 });
    await waitForJob(fx.db, jobId, (j) => j.epoch >= 2);
    // As the api does: flag the row, then tell the workers.
    await fx.db.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
    const sent = Date.now();
    await fx.redis.publish(cancelChannel(fx.env.QUEUE_PREFIX), jobId);
    const job = await waitForJob(fx.db, jobId);
    const stoppedInMs = Date.now() - sent;
    expect(job).toMatchObject({ status: 'cancelled', attempt: 1, modelVersion: null });
    expect(await fx.db.checkpoint.count({ where: { jobId } })).toBe(2);
    const events = await listJobEvents(fx.db, fx.tenantId, jobId, { limit: 10_000 });
    expect(events.at(-1)).toMatchObject({ type: 'done', data: { status: 'cancelled', modelVersion: null } });
    const epoch = events.find((e) => e.type === 'epoch');
    const batchMs = epoch?.type === 'epoch' ? epoch.data.durationMs / 180 : 0;
    console.log(`cancel via pub/sub: cancelled ${stoppedInMs} ms after the message (a batch takes ${batchMs.toFixed(2)} ms, an epoch 180 batches)`);
    // The stop itself takes one batch; the rest is the cancel's own transaction and the polling of this test.
    expect(stoppedInMs).toBeLessThan(1_000);
    await waitForBullState(fx.queue, jobId, 'completed');
  }, 60_000);

  it('also stops when the message was lost: every write reads the cancelRequested flag', async () => {
    await worker();
    const jobId = await submitDigitsJob(fx, datasetId, { epochs: 200, batchSize: 8 });
    await waitForJob(fx.db, jobId, (j) => j.epoch >= 1);
    await fx.db.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
    expect(await waitForJob(fx.db, jobId, undefined, 10_000)).toMatchObject({ status: 'cancelled' });
  }, 60_000);
});

describe('divergence', () => {
  it('fails the job with DIVERGED at once: one attempt, no retry, no non-finite metric', async () => {
    await worker();
    // Logits: with a softmax output, crossentropy clips probabilities and the loss stays finite (as in Keras).
    const jobId = await submitDigitsJob(fx, datasetId, {
      epochs: 5,
      definition: digitsModel(64, 'logits'),
      loss: { type: 'SparseCategoricalCrossentropy', fromLogits: true },
      optimizer: { type: 'SGD', learningRate: 1e6 },
    });
    const job = await waitForJob(fx.db, jobId);
    expect(job).toMatchObject({ status: 'failed', errorCode: 'DIVERGED', attempt: 1, modelVersion: null });
    expect(job.errorMessage).toMatch(/loss became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+/);
    await waitForBullState(fx.queue, jobId, 'failed');
    expect((await fx.queue.getJob(jobId))?.attemptsMade).toBe(1);
    const rows = await fx.db.jobEpoch.findMany({ where: { jobId } });
    for (const row of rows) for (const v of Object.values(row.logs as Record<string, number>)) expect(Number.isFinite(v)).toBe(true);
    for (const sample of await fx.db.jobBatchSample.findMany({ where: { jobId } })) expect(Number.isFinite(sample.loss)).toBe(true);
    const events = await listJobEvents(fx.db, fx.tenantId, jobId, { limit: 10_000 });
    expect(events.at(-1)).toMatchObject({ type: 'done', data: { status: 'failed', error: { code: 'DIVERGED' } } });
    expect(events.filter((e) => e.type === 'status' && e.data.status === 'running')).toHaveLength(1);
  }, 60_000);
});

describe('a trainer thread that dies', () => {
  it('is retried by BullMQ, resumes from the checkpoint, and ends with exact epochs and one version, like an undisturbed run', async () => {
    const epochs = 5;
    // Reference: the same job, undisturbed.
    const plain = await worker();
    const referenceId = await submitDigitsJob(fx, datasetId, { epochs });
    expect(await waitForJob(fx.db, referenceId)).toMatchObject({ status: 'succeeded' });
    await plain.close();

    // Attempt 1 exits with code 1 in the middle of epoch index 2 (after the checkpoint of 2 epochs).
    const faulty = await worker({ fault: { attempt: 1, epoch: 2, batch: 20 } });
    const jobId = await submitDigitsJob(fx, datasetId, { epochs });
    const job = await waitForJob(fx.db, jobId);
    expect(job).toMatchObject({ status: 'succeeded', attempt: 2, epoch: epochs, modelVersion: 1 });
    expect(await epochRows(jobId)).toEqual([[0, 1], [1, 1], [2, 2], [3, 2], [4, 2]]);
    expect(await fx.db.modelVersion.count({ where: { jobId } })).toBe(1);
    // BullMQ counts both: the failed attempt and the completed one.
    await waitForBullState(fx.queue, jobId, 'completed');
    expect((await fx.queue.getJob(jobId))?.attemptsMade).toBe(2);
    const statuses = (await listJobEvents(fx.db, fx.tenantId, jobId, { types: ['status'] })).map((e) => e.data);
    expect(statuses).toEqual([
      { status: 'queued', attempt: 0, epoch: 0 },
      { status: 'running', attempt: 1, epoch: 0 },
      { status: 'queued', attempt: 1, epoch: 2, error: { code: 'TRAINER_CRASHED', message: 'the trainer thread exited with code 1 before training ended' } },
      { status: 'running', attempt: 2, epoch: 2 },
      { status: 'succeeded', attempt: 2, epoch: epochs },
    ]);
    // The checkpoint holds weights, optimizer and RNG state: the resumed run ends bit for bit where the undisturbed one did.
    const [resumed, reference] = await Promise.all([fx.db.modelVersion.findFirstOrThrow({ where: { jobId } }), fx.db.modelVersion.findFirstOrThrow({ where: { jobId: referenceId } })]);
    expect(Buffer.from(resumed.weights).equals(Buffer.from(reference.weights))).toBe(true);
  }, 90_000);
});

describe('shutdown', () => {
  it('stops at the next batch, hands the job back without burning an attempt, and another worker finishes it', async () => {
    const epochs = 60;
    const first = await worker();
    const jobId = await submitDigitsJob(fx, datasetId, { epochs, batchSize: 8 });
    await waitForJob(fx.db, jobId, (j) => j.epoch >= 2);
    const closing = Date.now();
    await first.close();
    const closeMs = Date.now() - closing;
    const handedBack = await fx.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(handedBack).toMatchObject({ status: 'queued', attempt: 1, errorCode: null });
    expect(handedBack.epoch).toBeLessThan(epochs);
    await waitForBullState(fx.queue, jobId, 'waiting');
    expect((await fx.queue.getJob(jobId))?.attemptsMade).toBe(0);
    console.log(`shutdown: worker closed ${closeMs} ms after close() at epoch ${handedBack.epoch}; job handed back`);
    expect(closeMs).toBeLessThan(5_000);

    const second = await worker();
    const job = await waitForJob(fx.db, jobId, undefined, 90_000);
    expect(job).toMatchObject({ status: 'succeeded', attempt: 2, epoch: epochs });
    const rows = await epochRows(jobId);
    expect(rows.map(([e]) => e)).toEqual(Array.from({ length: epochs }, (_, i) => i));
    expect(rows.slice(0, handedBack.epoch).every(([, a]) => a === 1)).toBe(true);
    expect(rows.slice(handedBack.epoch).every(([, a]) => a === 2)).toBe(true);
    // The hand-back did not count: only the completed attempt did.
    await waitForBullState(fx.queue, jobId, 'completed');
    expect((await fx.queue.getJob(jobId))?.attemptsMade).toBe(1);
  }, 120_000);
});
