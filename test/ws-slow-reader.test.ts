import { appendJobEvents, createJob } from '@kiln/db';
import { publishJobEvents } from '@kiln/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStream } from './support/job-stream.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// A reader that stops reading must not make the server buffer without bound (RELIABILITY row 17): once more than
// 1 MiB waits in its socket, it is closed with 1013 and told where to resume; nothing is skipped silently.
let fx: ServiceFixture;

beforeAll(async () => {
  fx = await createServiceFixture('ws_slow_reader');
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

describe('a slow WebSocket reader', () => {
  it('is closed with 1013 once its backlog passes 1 MiB, and can resume from the log with ?after=', async () => {
    const base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
    const { job, events: first } = await createJob(fx.db, fx.tenantId, { modelId: fx.tenantId, datasetId: fx.tenantId, validationDatasetId: null, config: {}, plan: {}, epochs: 1, idempotencyKey: null, requestHash: null });
    await publishJobEvents(fx.redis, fx.env.QUEUE_PREFIX, fx.tenantId, first);
    const stream = await recordStream(`${base.replace('http', 'ws')}/v1/jobs/${job.id}/stream`);
    await stream.waitFor((e) => e.seq === 1);
    // Stop reading: the kernel buffers fill, then ws's own send buffer grows.
    (stream.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const layers = Array.from({ length: 400 }, (_, i) => ({ layer: `dense_${i}`, gradNorm: i, gradNormMax: i, weightNorm: i }));
    const heapBefore = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 300; batch++) {
      const appended = await fx.db.$transaction((tx) => appendJobEvents(tx, job, [{ type: 'diagnostics', data: { epoch: 0, batch, layers } }]));
      await publishJobEvents(fx.redis, fx.env.QUEUE_PREFIX, fx.tenantId, appended);
    }
    await new Promise((r) => setTimeout(r, 500));
    (stream.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const code = await stream.closed;
    const sentBytes = stream.events.reduce((n, e) => n + JSON.stringify(e).length, 0);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    console.log(`slow reader: closed with ${code} after ${stream.events.length} of 301 events (${(sentBytes / 2 ** 20).toFixed(1)} MiB of ${((301 * JSON.stringify(layers).length) / 2 ** 20).toFixed(1)} MiB); heap growth ${(heapGrowth / 2 ** 20).toFixed(1)} MiB`);
    expect(code).toBe(1013);
    expect(stream.events.length).toBeLessThan(301);
    // Whatever it received is a gap-free prefix, so ?after= resumes exactly.
    expect(stream.events.map((e) => e.seq)).toEqual(Array.from({ length: stream.events.length }, (_, i) => i + 1));
    const resumed = await recordStream(`${base.replace('http', 'ws')}/v1/jobs/${job.id}/stream?after=${stream.events.at(-1)!.seq}`);
    await resumed.waitFor((e) => e.seq === 301, 30_000);
    resumed.socket.close();
    expect(resumed.events[0]!.seq).toBe(stream.events.at(-1)!.seq + 1);
  }, 120_000);
});
