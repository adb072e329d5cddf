import { listJobEvents } from '@kiln/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStream, seqProblems } from './support/job-stream.js';
import { digitsJob, httpClient, uploadCsv } from './support/http-client.js';
import { type KilnProcess, startWorkerProcess } from './support/processes.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// Acceptance point 3 (RELIABILITY row 1): kill -9 the worker process mid-epoch; a restarted worker resumes the job from
// its checkpoint; the final epoch count and metric rows are exact and the model version is created once. Locks are
// shortened as BullMQ's own tests do, so the stall is detected in seconds.
const profile = { WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '500' };
let fx: ServiceFixture;
const workers: KilnProcess[] = [];

beforeAll(async () => {
  fx = await createServiceFixture('worker_crash', profile);
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await fx?.close();
});

describe('a worker killed mid-epoch', () => {
  it('is resumed from the last checkpoint by a restarted worker, with exact epochs and one version', async () => {
    const base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
    const http = httpClient(base);
    const datasetId = await uploadCsv(base, 'digits_train.csv');
    const first = await startWorkerProcess(fx.childEnv);
    workers.push(first);
    const epochs = 8;
    const job = await http('POST', '/v1/jobs', digitsJob(datasetId, { epochs, batchSize: 2 }));
    const id = String(job.body.id);
    const stream = await recordStream(`${base.replace('http', 'ws')}/v1/jobs/${id}/stream`);

    // Mid-epoch: a third of an epoch after the checkpoint of epoch 2 (batch events are sampled, so time it instead).
    await stream.waitFor((e) => e.type === 'checkpoint' && e.data.epoch === 2);
    const epochMs = stream.events.flatMap((e) => (e.type === 'epoch' ? [e.data.durationMs] : [])).at(-1)!;
    await new Promise((r) => setTimeout(r, epochMs / 3));
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.stop();

    const second = await startWorkerProcess(fx.childEnv);
    workers.push(second);
    const resumed = await stream.waitFor((e) => e.type === 'status' && e.data.status === 'running' && e.data.attempt === 2, 30_000);
    const recoveryMs = Date.now() - killedAt;
    // It resumes from the newest checkpoint: after epoch 2, or a later one if epochs ended while the kill was on its
    // way (on a loaded machine); never from scratch, never past the end.
    const from = resumed.type === 'status' ? resumed.data.epoch : -1;
    expect(from).toBeGreaterThanOrEqual(2);
    expect(from).toBeLessThan(epochs);
    expect(await stream.closed).toBe(1000);

    expect(seqProblems(stream.events)).toEqual([]);
    expect(stream.events).toEqual(await listJobEvents(fx.db, fx.tenantId, id, { limit: 10_000 }));
    expect(stream.events.at(-1)).toMatchObject({ type: 'done', data: { status: 'succeeded', epoch: epochs, modelVersion: 1 } });
    const rows = await fx.db.jobEpoch.findMany({ where: { jobId: id }, orderBy: { epoch: 'asc' } });
    expect(rows.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Epochs before the checkpoint come from the first attempt, the redone one onwards from the second.
    expect(rows.map((r) => r.attempt)).toEqual(rows.map((r) => (r.epoch < from ? 1 : 2)));
    expect(await fx.db.modelVersion.count({ where: { jobId: id } })).toBe(1);
    const finished = await http('GET', `/v1/jobs/${id}`);
    expect(finished.body).toMatchObject({ status: 'succeeded', attempt: 2, epoch: epochs });
    console.log(`worker crash: resumed ${recoveryMs} ms after kill -9 (lock 2000 ms, stalled check 500 ms)`);
    expect(recoveryMs).toBeLessThan(2_000 + 500 + 5_000 + 5_000); // + worker boot
  }, 180_000);
});
