import { listJobEvents } from '@kiln/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStream, seqProblems } from './support/job-stream.js';
import { digitsJob, httpClient, uploadCsv } from './support/http-client.js';
import { type KilnProcess, startWorkerProcess } from './support/processes.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// RELIABILITY row 4, a deploy: SIGTERM to a worker process mid-epoch. It stops at the next batch, hands the job back
// without a failure, and exits; the next worker finishes the job with exactly the requested epochs.
let fx: ServiceFixture;
const workers: KilnProcess[] = [];

beforeAll(async () => {
  fx = await createServiceFixture('worker_sigterm');
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await fx?.close();
});

describe('a worker stopped with SIGTERM mid-epoch', () => {
  it('hands its job back without a failed attempt, exits promptly, and another worker completes it exactly', async () => {
    const base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
    const http = httpClient(base);
    const datasetId = await uploadCsv(base, 'digits_train.csv');
    const first = await startWorkerProcess(fx.childEnv);
    workers.push(first);
    const epochs = 6;
    const job = await http('POST', '/v1/jobs', digitsJob(datasetId, { epochs, batchSize: 4 }));
    const id = String(job.body.id);
    const stream = await recordStream(`${base.replace('http', 'ws')}/v1/jobs/${id}/stream`);
    await stream.waitFor((e) => e.type === 'checkpoint' && e.data.epoch === 2);

    const signalledAt = Date.now();
    expect(await first.stop('SIGTERM')).toBe(0);
    const exitMs = Date.now() - signalledAt;
    const handedBack = await stream.waitFor((e) => e.type === 'status' && e.data.status === 'queued' && e.data.attempt === 1);
    expect(handedBack.type === 'status' && handedBack.data.error).toBeFalsy();

    const second = await startWorkerProcess(fx.childEnv);
    workers.push(second);
    expect(await stream.closed).toBe(1000);
    expect(seqProblems(stream.events)).toEqual([]);
    expect(stream.events).toEqual(await listJobEvents(fx.db, fx.tenantId, id, { limit: 10_000 }));
    expect(stream.events.filter((e) => e.type === 'status' && e.data.status === 'failed')).toEqual([]);
    expect(stream.events.at(-1)).toMatchObject({ type: 'done', data: { status: 'succeeded', epoch: epochs } });
    const rows = await fx.db.jobEpoch.findMany({ where: { jobId: id }, orderBy: { epoch: 'asc' } });
    expect(rows.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await fx.db.modelVersion.count({ where: { jobId: id } })).toBe(1);
    console.log(`worker SIGTERM: exited ${exitMs} ms after the signal; the job resumed on the next worker`);
    expect(exitMs).toBeLessThan(30_000);
  }, 180_000);
});
