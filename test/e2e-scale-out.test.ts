import type { JobEvent } from '@kiln/contracts';
import { listJobEvents } from '@kiln/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStream, seqProblems } from './support/job-stream.js';
import { digitsJob, httpClient, uploadCsv } from './support/http-client.js';
import { type KilnProcess, startApiProcess, startWorkerProcess } from './support/processes.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// Acceptance point 2: two api processes and two worker processes on one Postgres and Redis. Jobs submitted to api A
// all complete; a WebSocket on api B sees every event of every job, in order, without gaps.
let fx: ServiceFixture;
const processes: KilnProcess[] = [];

beforeAll(async () => {
  fx = await createServiceFixture('scale_out');
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await fx?.close();
});

describe('two apis and two workers', () => {
  it('four jobs submitted to one api all complete, and a stream on the other api sees all their events in order', async () => {
    const [apiA, apiB, ...workers] = await Promise.all([
      startApiProcess(fx.childEnv),
      startApiProcess(fx.childEnv),
      startWorkerProcess(fx.childEnv),
      startWorkerProcess(fx.childEnv),
    ]);
    processes.push(apiA!, apiB!, ...workers);
    const stream = await recordStream(`${apiB!.url.replace('http', 'ws')}/v1/stream`);

    const datasetId = await uploadCsv(apiA!.url, 'digits_train.csv');
    const http = httpClient(apiA!.url);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const job = await http('POST', '/v1/jobs', digitsJob(datasetId, { epochs: 3, batchSize: 32, seed: i + 1 }));
      expect(job.status).toBe(202);
      ids.push(String(job.body.id));
    }
    for (const id of ids) await stream.waitFor((e) => e.jobId === id && e.type === 'done', 120_000);
    stream.socket.close();

    const byJob = new Map<string, JobEvent[]>();
    for (const event of stream.events) byJob.set(event.jobId, [...(byJob.get(event.jobId) ?? []), event]);
    expect([...byJob.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const seen = byJob.get(id)!;
      expect(seqProblems(seen)).toEqual([]);
      expect(seen).toEqual(await listJobEvents(fx.db, fx.tenantId, id, { limit: 10_000 }));
      expect(seen.at(-1)).toMatchObject({ type: 'done', data: { status: 'succeeded', epoch: 3 } });
      const job = await httpClient(apiB!.url)('GET', `/v1/jobs/${id}`);
      expect(job.body).toMatchObject({ status: 'succeeded', epoch: 3, modelVersion: 1 });
    }
    // Jobs go to whichever worker is free: with one job at a time each, both took part.
    const trained = workers.map((w) => w.logs.filter((l) => l.msg === 'job succeeded').length);
    console.log(`scale-out: ${stream.events.length} events for 4 jobs; jobs trained per worker: ${trained.join(', ')}`);
    expect(trained.reduce((a, b) => a + b, 0)).toBe(4);
    expect(trained.every((n) => n > 0)).toBe(true);
  }, 240_000);
});
