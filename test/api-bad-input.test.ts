import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errorResponseSchema } from '@kiln/contracts';
import { createTrainingQueue } from '@kiln/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';
import { repositoryRoot } from './support/test-database.js';

// Acceptance point 6: every bad request answers the one error shape with a message that names what was wrong, and
// leaves nothing stored and nothing enqueued.
const digitsCsv = readFileSync(path.join(repositoryRoot, 'test', 'datasets', 'digits_train.csv'), 'utf8');
const irisCsv = readFileSync(path.join(repositoryRoot, 'test', 'datasets', 'iris_train.csv'), 'utf8');

let fx: ServiceFixture;
let irisId: string;

beforeAll(async () => {
  fx = await createServiceFixture('bad_input', { MAX_UPLOAD_BYTES: String(64 * 1024) });
  const upload = await fx.app.inject({ method: 'POST', url: '/v1/datasets?name=iris', headers: { 'content-type': 'text/csv' }, payload: irisCsv });
  expect(upload.statusCode).toBe(201);
  irisId = upload.json().id;
});

afterAll(async () => {
  await fx?.close();
});

/** Rows stored besides the iris dataset of beforeAll, and BullMQ jobs in any state. */
async function storedAndQueued() {
  const queue = createTrainingQueue(fx.redis, fx.env.QUEUE_PREFIX);
  const counts = await queue.getJobCounts();
  await queue.close();
  return {
    datasets: await fx.db.dataset.count(),
    chunks: await fx.db.datasetChunk.count({ where: { datasetId: { not: irisId } } }),
    jobs: await fx.db.job.count(),
    events: await fx.db.jobEvent.count(),
    models: await fx.db.model.count(),
    queued: Object.values(counts).reduce((a, b) => a + b, 0),
  };
}

const nothing = { datasets: 1, chunks: 0, jobs: 0, events: 0, models: 0, queued: 0 };

function expectError(response: { statusCode: number; json: () => unknown }, status: number, code: string, message: RegExp) {
  const body = errorResponseSchema.parse(response.json());
  expect({ status: response.statusCode, code: body.code }).toEqual({ status, code });
  expect(body.statusCode).toBe(status);
  expect(body.message).toMatch(message);
  return body;
}

const irisModel = { type: 'Sequential', layers: [{ type: 'Dense', units: 8, activation: 'relu', inputShape: [4] }, { type: 'Dense', units: 3, activation: 'softmax' }] };
const irisJob = () => ({ model: irisModel, datasetId: irisId, compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] }, fit: { epochs: 2 } });

describe('bad input is rejected with the error shape, and nothing is stored or enqueued', () => {
  it('a CSV with NaN names the row and the column', async () => {
    const csv = 'a,b,label\n1,2,0\n3,NaN,1\n';
    const response = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'text/csv' }, payload: csv });
    const body = expectError(response, 422, body422Code(response), /row 2.*"b".*finite number.*NaN/);
    expect(body.details).toMatchObject({ row: 2, column: 'b' });
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('a ragged CSV row names the row and the count', async () => {
    const csv = `${digitsCsv.split('\n').slice(0, 30).join('\n')}\n1,2,3\n`;
    const response = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'text/csv' }, payload: csv });
    expectError(response, 422, body422Code(response), /row 30.*3 cells.*65 columns/);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('a CSV with an unterminated quote is malformed', async () => {
    const response = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'text/csv' }, payload: 'a,label\n"1,0\n' });
    expect(response.statusCode).toBe(422);
    errorResponseSchema.parse(response.json());
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('malformed JSON gives the byte offset', async () => {
    const response = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'application/json' }, payload: '{"x": [[1, 2], [3, 4]], "y": [0, ' });
    expect(response.statusCode).toBe(422);
    expect(errorResponseSchema.parse(response.json()).message).toMatch(/offset|end/i);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('JSON with NaN-like values and ragged samples is rejected', async () => {
    const ragged = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'application/json' }, payload: '{"x": [[1, 2], [3]], "y": [0, 1]}' });
    expectError(ragged, 422, body422Code(ragged), /x\[1\]/);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('a malformed NPY pair is rejected', async () => {
    const boundary = 'kilnboundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="x"; filename="x.npy"\r\ncontent-type: application/octet-stream\r\n\r\n`),
      Buffer.from('this is not an npy file'),
      Buffer.from(`\r\n--${boundary}\r\ncontent-disposition: form-data; name="y"; filename="y.npy"\r\ncontent-type: application/octet-stream\r\n\r\n`),
      Buffer.from('neither is this'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expectError(response, 422, body422Code(response), /npy|magic/i);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('an oversized upload is 413, streamed or declared', async () => {
    const big = `${digitsCsv}`; // ~210 KB against a 64 KiB limit
    const declared = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'text/csv' }, payload: big });
    expectError(declared, 413, 'PAYLOAD_TOO_LARGE', /65536 bytes/);
    // Chunked (no Content-Length): the limit is counted on the stream.
    const { Readable } = await import('node:stream');
    const streamed = await fx.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'text/csv' }, payload: Readable.from([big.slice(0, 50_000), big.slice(50_000)]) });
    expectError(streamed, 413, 'PAYLOAD_TOO_LARGE', /65536/);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('unknown dataset and model ids are 404', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expectError(await fx.app.inject({ method: 'GET', url: `/v1/datasets/${missing}` }), 404, 'NOT_FOUND', /dataset/);
    expectError(await fx.app.inject({ method: 'GET', url: `/v1/models/${missing}` }), 404, 'NOT_FOUND', /model/);
    expectError(await fx.app.inject({ method: 'GET', url: '/v1/models/not-a-uuid' }), 404, 'NOT_FOUND', /model/);
    expectError(await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...irisJob(), datasetId: missing } }), 404, 'NOT_FOUND', new RegExp(`dataset ${missing}`));
    const { model: _m, ...rest } = irisJob();
    expectError(await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...rest, modelId: missing } }), 404, 'NOT_FOUND', new RegExp(`model ${missing}`));
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('a model whose input does not fit the dataset is 422 before anything is enqueued', async () => {
    const wide = { ...irisJob(), model: { ...irisModel, layers: [{ ...irisModel.layers[0], inputShape: [64] }, irisModel.layers[1]] } };
    expectError(await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: wide }), 422, 'SHAPE_MISMATCH', /64.*4|4.*64/);
    const fewClasses = { ...irisJob(), model: { ...irisModel, layers: [irisModel.layers[0], { type: 'Dense', units: 2, activation: 'softmax' }] } };
    expectError(await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: fewClasses }), 422, body422Code(await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: fewClasses })), /class|label/i);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('unknown body properties are 400 and name the property (mass assignment)', async () => {
    const response = await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...irisJob(), status: 'succeeded' } });
    expectError(response, 400, 'VALIDATION_FAILED', /body: unknown property "status"/);
    const nested = await fx.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...irisJob(), fit: { epochs: 2, tenantId: 'x' } } });
    expectError(nested, 400, 'VALIDATION_FAILED', /body\.fit: unknown property "tenantId"/);
    const model = await fx.app.inject({ method: 'POST', url: '/v1/models', payload: { definition: irisModel, id: 'mine' } });
    expectError(model, 400, 'VALIDATION_FAILED', /unknown property "id"/);
    expect(await storedAndQueued()).toEqual(nothing);
  });

  it('a body that is not JSON is 400, an unknown route 404, both in the error shape', async () => {
    const response = await fx.app.inject({ method: 'POST', url: '/v1/jobs', headers: { 'content-type': 'application/json' }, payload: '{"model": ' });
    expectError(response, 400, 'MALFORMED_JSON', /JSON/);
    expectError(await fx.app.inject({ method: 'GET', url: '/v1/nothing' }), 404, 'ROUTE_NOT_FOUND', /GET \/v1\/nothing/);
    expect(await storedAndQueued()).toEqual(nothing);
  });
});

/** The datasets library's code for a 422 (checked to be UPPER_SNAKE by the error schema). */
function body422Code(response: { json: () => unknown }): string {
  return (response.json() as { code: string }).code;
}
