import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsMlp, httpClient } from './support/http-client.js';
import { recordStream, seqProblems } from './support/job-stream.js';
import { type KilnProcess, startWorkerProcess } from './support/processes.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';
import { repositoryRoot } from './support/test-database.js';

// Acceptance point 1: the whole path through real HTTP, a real WebSocket and a real worker process:
// upload → register → train → stream → history → predict.
const datasets = path.join(repositoryRoot, 'test', 'datasets');

let fx: ServiceFixture;
let worker: KilnProcess;
let base: string;

beforeAll(async () => {
  fx = await createServiceFixture('e2e_digits');
  base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
  worker = await startWorkerProcess(fx.childEnv);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await fx?.close();
});


describe('digits end to end over HTTP', () => {
  it('uploads, trains with live events, keeps the history, and predicts the test set with accuracy >= 0.95', async () => {
    const http = httpClient(base);
    const csv = readFileSync(path.join(datasets, 'digits_train.csv'), 'utf8');
    const upload = await http('POST', '/v1/datasets?name=digits', csv, { 'content-type': 'text/csv' });
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ name: 'digits', rows: 1438, featureShape: [64], labelShape: [1] });

    const model = await http('POST', '/v1/models', { name: 'digits-mlp', definition: digitsMlp });
    expect(model.status).toBe(201);
    const modelId = String(model.body.id);
    expect((model.body.summary as { totalParams: number }).totalParams).toBe(64 * 64 + 64 + 64 * 10 + 10);

    const epochs = 30;
    const job = await http('POST', '/v1/jobs', {
      modelId,
      datasetId: upload.body.id,
      compile: { optimizer: { type: 'Adam', learningRate: 0.003 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
      fit: { epochs, batchSize: 32, seed: 7, validationSplit: 0.1 },
    });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    expect(job.body).toMatchObject({ status: 'queued', epochs, attempt: 0 });
    const jobId = String(job.body.id);

    const stream = await recordStream(`${base.replace('http', 'ws')}/v1/jobs/${jobId}/stream`);
    expect(await stream.closed).toBe(1000);
    expect(seqProblems(stream.events)).toEqual([]);
    const types = new Set(stream.events.map((e) => e.type));
    for (const type of ['status', 'batch', 'epoch', 'diagnostics', 'checkpoint', 'done']) expect(types).toContain(type);
    const epochEvents = stream.events.filter((e) => e.type === 'epoch');
    expect(epochEvents.map((e) => e.data.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i));
    const done = stream.events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', data: { status: 'succeeded', epoch: epochs, modelVersion: 1 } });

    const finished = await http('GET', `/v1/jobs/${jobId}`);
    expect(finished.body).toMatchObject({ status: 'succeeded', attempt: 1, epoch: epochs, progress: 1, modelVersion: 1, error: null });

    const metrics = await http<{ epochs: { epoch: number; logs: Record<string, number>; diagnostics: unknown[] }[]; batches: unknown[] }>('GET', `/v1/jobs/${jobId}/metrics`);
    expect(metrics.body.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i));
    expect(Object.keys(metrics.body.epochs[0]!.logs).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(metrics.body.epochs.at(-1)!.logs.loss).toBeLessThan(metrics.body.epochs[0]!.logs.loss!);
    expect(metrics.body.epochs[0]!.diagnostics.length).toBeGreaterThan(0);
    expect(metrics.body.batches.length).toBeGreaterThan(0);
    const lossOnly = await http<{ epochs: { logs: Record<string, number> }[] }>('GET', `/v1/jobs/${jobId}/metrics?names=val_loss&fromEpoch=10&toEpoch=12`);
    expect(lossOnly.body.epochs.map((e) => Object.keys(e.logs))).toEqual([['val_loss'], ['val_loss'], ['val_loss']]);

    const versions = await http<{ items: { version: number; jobId: string }[] }>('GET', `/v1/models/${modelId}/versions`);
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, jobId })]);

    const test = readFileSync(path.join(datasets, 'digits_test.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const prediction = await http<{ predictions: number[][]; predictedClasses: number[]; modelVersion: number }>('POST', `/v1/models/${modelId}/predict`, {
      instances: test.map((row) => row.slice(0, 64)),
    });
    expect(prediction.status).toBe(200);
    expect(prediction.body.predictions).toHaveLength(test.length);
    expect(prediction.body.predictions[0]).toHaveLength(10);
    const correct = prediction.body.predictedClasses.filter((c, i) => c === test[i]![64]).length;
    const accuracy = correct / test.length;
    console.log(`digits end to end: test accuracy ${accuracy.toFixed(4)} over ${test.length} samples, ${stream.events.length} events`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  }, 180_000);
});
