import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { datasetCsv, uploadCsv } from './support/http-client.js';
import { startApiProcess } from './support/processes.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// RELIABILITY row 12: SIGTERM to an api process. A request in flight (an upload still streaming) completes, WebSockets
// are closed with 1001 (going away), and the process exits promptly.
let fx: ServiceFixture;

beforeAll(async () => {
  fx = await createServiceFixture('api_sigterm');
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

describe('an api process stopped with SIGTERM', () => {
  it('finishes the upload in flight, closes WebSockets with 1001 and exits', async () => {
    const api = await startApiProcess(fx.childEnv);
    // A keep-alive connection from an earlier request must not hold the exit back either.
    await uploadCsv(api.url, 'iris_train.csv');

    const socket = new WebSocket(`${api.url.replace('http', 'ws')}/v1/stream`);
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    // An upload that is still sending when the signal arrives.
    const csv = datasetCsv('digits_train.csv');
    const { hostname, port } = new URL(api.url);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request({ hostname, port, method: 'POST', path: '/v1/datasets?name=in-flight', headers: { 'content-type': 'text/csv' } }, (response) => {
        let body = '';
        response.on('data', (c) => (body += c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      request.write(csv.slice(0, 100_000));
      setTimeout(() => request.end(csv.slice(100_000)), 700);
    });
    await new Promise((r) => setTimeout(r, 200));
    const signalledAt = Date.now();
    const exited = api.stop('SIGTERM');
    const upload = await answer;
    expect(upload.status).toBe(201);
    expect(JSON.parse(upload.body)).toMatchObject({ name: 'in-flight', rows: 1438 });
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
    const exitMs = Date.now() - signalledAt;
    console.log(`api SIGTERM: the in-flight upload completed (201), the WebSocket got 1001, exit after ${exitMs} ms`);
    expect(exitMs).toBeLessThan(10_000);
  }, 60_000);
});
