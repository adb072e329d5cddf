import { type RunningWorker, startWorker } from '@kiln/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetCsv } from './support/http-client.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// The resources through app.inject with a worker in this process: string classes, Normalization adapted by the
// service, a separate validation set, warm starts, idempotency, pagination, deletion, prediction limits, health.
const SPECIES = ['setosa', 'versicolor', 'virginica'];
/** Iris with the species spelled out, in a shuffled class order, so names must survive the trip. */
const irisWithNames = (file: string) =>
  datasetCsv(file)
    .trim()
    .split('\n')
    .map((line, i) => (i === 0 ? line.replace(/label$/, 'species') : line.replace(/,(\d)$/, (_, k: string) => `,${SPECIES[Number(k)]}`)))
    .join('\n');

let fx: ServiceFixture;
let worker: RunningWorker;

beforeAll(async () => {
  fx = await createServiceFixture('api_resources', { PREDICT_MAX_ROWS: '50' });
  worker = await startWorker(fx.env, { reconcileIntervalMs: 0 });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await fx?.close();
});

const inject = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const response = await fx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as string }) });
  return { status: response.statusCode, body: response.body ? (response.json() as Record<string, any>) : null, headers: response.headers };
};
const uploadCsv = async (csv: string, name: string) => {
  const { status, body } = await inject('POST', `/v1/datasets?name=${name}`, csv, { 'content-type': 'text/csv' });
  expect(status).toBe(201);
  return body!;
};
const waitForJob = async (id: string) => {
  for (let i = 0; i < 600; i++) {
    const { body } = await inject('GET', `/v1/jobs/${id}`);
    if (['succeeded', 'failed', 'cancelled'].includes(body!.status)) return body!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
};

describe('datasets', () => {
  it('keeps string classes by name with their counts, lists by cursor, and deletes', async () => {
    const train = await uploadCsv(irisWithNames('iris_train.csv'), 'iris-names');
    expect(train).toMatchObject({ rows: 120, featureShape: [4], labelShape: [1], labelNames: ['species'], classNames: SPECIES });
    expect(train.classCounts).toEqual({ setosa: 40, versicolor: 40, virginica: 40 });
    expect(train.featureStats).toHaveLength(4);

    const extra = [await uploadCsv('a,b\n1,2\n', 'one'), await uploadCsv('a,b\n1,2\n', 'two')];
    const first = await inject('GET', '/v1/datasets?limit=2');
    expect(first.body!.items.map((d: { name: string }) => d.name)).toEqual(['two', 'one']);
    const second = await inject('GET', `/v1/datasets?limit=2&cursor=${first.body!.nextCursor}`);
    expect(second.body!.items.map((d: { name: string }) => d.name)).toEqual(['iris-names']);
    expect(second.body!.nextCursor).toBeNull();
    expect((await inject('GET', '/v1/datasets?cursor=garbage')).body).toMatchObject({ statusCode: 400, code: 'INVALID_CURSOR' });

    for (const d of extra) {
      expect((await inject('DELETE', `/v1/datasets/${d.id}`)).status).toBe(204);
      expect((await inject('GET', `/v1/datasets/${d.id}`)).status).toBe(404);
    }
    expect(await fx.db.datasetChunk.count({ where: { datasetId: { in: extra.map((d) => d.id) } } })).toBe(0);
  });
});

describe('jobs', () => {
  it('trains raw iris behind a Normalization the service adapts, validates on a separate set, and predicts class names', async () => {
    const train = await uploadCsv(irisWithNames('iris_train.csv'), 'iris-train');
    const test = await uploadCsv(irisWithNames('iris_test.csv'), 'iris-test');
    const job = await inject('POST', '/v1/jobs', {
      model: {
        type: 'Sequential',
        layers: [
          { type: 'Normalization', inputShape: [4] },
          { type: 'Dense', units: 16, activation: 'relu' },
          { type: 'Dense', units: 3, activation: 'softmax' },
        ],
      },
      datasetId: train.id,
      validationDatasetId: test.id,
      compile: { optimizer: { type: 'Adam', learningRate: 0.02 }, loss: 'categorical_crossentropy', metrics: ['accuracy'] },
      fit: { epochs: 40, batchSize: 16, seed: 1 },
    });
    expect(job.status).toBe(202);
    expect(job.body!.config.fit).toMatchObject({ epochs: 40, checkpointEvery: 1 });
    const done = await waitForJob(job.body!.id);
    expect(done).toMatchObject({ status: 'succeeded', modelVersion: 1 });
    expect(done.finalMetrics.val_accuracy).toBeGreaterThanOrEqual(0.9);

    const rows = datasetCsv('iris_test.csv').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const prediction = await inject('POST', `/v1/models/${done.modelId}/predict`, { instances: rows.map((r) => r.slice(0, 4)) });
    expect(prediction.status).toBe(200);
    expect(prediction.body!.classNames).toEqual(SPECIES);
    const accuracy = prediction.body!.predictedClasses.filter((name: string, i: number) => name === SPECIES[rows[i]![4]!]).length / rows.length;
    console.log(`iris through the service (raw features, adapted Normalization): test accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);

    // Warm start: one more epoch from version 1 starts where it ended, and makes version 2.
    const warm = await inject('POST', '/v1/jobs', {
      modelId: done.modelId,
      datasetId: train.id,
      initialWeights: { modelVersion: 1 },
      compile: { optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] },
      fit: { epochs: 1, batchSize: 16 },
    });
    const warmDone = await waitForJob(warm.body!.id);
    expect(warmDone).toMatchObject({ status: 'succeeded', modelVersion: 2 });
    const coldFirst = (await inject('GET', `/v1/jobs/${job.body!.id}/metrics?toEpoch=0`)).body!.epochs[0].logs.loss;
    const warmFirst = (await inject('GET', `/v1/jobs/${warm.body!.id}/metrics`)).body!.epochs[0].logs.loss;
    expect(warmFirst).toBeLessThan(coldFirst / 2);
    expect((await inject('GET', `/v1/models/${done.modelId}/versions`)).body!.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const listed = await inject('GET', '/v1/jobs?status=succeeded&limit=100');
    expect(listed.body!.items.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([job.body!.id, warm.body!.id]));
    expect((await inject('GET', '/v1/jobs?status=finished')).status).toBe(400);
    const checkpoints = await inject('GET', `/v1/jobs/${job.body!.id}/checkpoints`);
    expect(checkpoints.body!.items.map((c: { epoch: number }) => c.epoch)).toEqual([40, 39]);
  }, 120_000);

  it('honours Idempotency-Key: a retry returns the same job, a different body under the same key is refused', async () => {
    const train = await uploadCsv(datasetCsv('iris_train.csv'), 'iris-idem');
    const body = {
      model: { type: 'Sequential', layers: [{ type: 'Dense', units: 3, activation: 'softmax', inputShape: [4] }] },
      datasetId: train.id,
      compile: { loss: 'sparse_categorical_crossentropy' },
      fit: { epochs: 1 },
    };
    const headers = { 'idempotency-key': 'order-42' };
    const [a, b] = await Promise.all([inject('POST', '/v1/jobs', body, headers), inject('POST', '/v1/jobs', body, headers)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body!.id).toBe(b.body!.id);
    expect(await fx.db.job.count({ where: { idempotencyKey: 'order-42' } })).toBe(1);
    const other = await inject('POST', '/v1/jobs', { ...body, fit: { epochs: 2 } }, headers);
    expect(other.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    await waitForJob(a.body!.id);
  }, 60_000);
});

describe('determinism', () => {
  it('the same job config and seed train to bitwise-identical weights; another seed does not', async () => {
    const train = await uploadCsv(datasetCsv('iris_train.csv'), 'iris-seeded');
    const job = (seed: number) => ({
      model: { type: 'Sequential', layers: [{ type: 'Dense', units: 8, activation: 'relu', inputShape: [4] }, { type: 'Dropout', rate: 0.2 }, { type: 'Dense', units: 3, activation: 'softmax' }] },
      datasetId: train.id,
      compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' },
      fit: { epochs: 3, batchSize: 16, seed },
    });
    const weightsOf = async (seed: number) => {
      const created = await inject('POST', '/v1/jobs', job(seed));
      const done = await waitForJob(created.body!.id);
      const version = await fx.db.modelVersion.findFirstOrThrow({ where: { jobId: done.id } });
      return Buffer.from(version.weights);
    };
    const [a, b, c] = [await weightsOf(5), await weightsOf(5), await weightsOf(6)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  }, 60_000);
});

describe('prediction limits and health', () => {
  it('checks instances against the input shape and the row limit; an untrained model is a 409', async () => {
    const model = await inject('POST', '/v1/models', { definition: { type: 'Sequential', layers: [{ type: 'Dense', units: 2, inputShape: [3] }] } });
    expect(model.status).toBe(201);
    expect((await inject('POST', `/v1/models/${model.body!.id}/predict`, { instances: [[1, 2, 3]] })).body).toMatchObject({ statusCode: 409, code: 'MODEL_NOT_TRAINED' });

    const trained = (await fx.db.modelVersion.findFirst({ orderBy: { createdAt: 'asc' } }))!;
    const url = `/v1/models/${trained.modelId}/predict`;
    const wrong = await inject('POST', url, { instances: [[1, 2, 3, 4], [1, 2, 3]] });
    expect(wrong.body).toMatchObject({ statusCode: 422, code: 'INVALID_INSTANCES' });
    expect(wrong.body!.message).toMatch(/instances\[1\]/);
    const notNumber = await inject('POST', url, { instances: [[1, 2, 'x', 4]] });
    expect(notNumber.body!.message).toMatch(/instances\[0\]\[2\]: expected a finite number, received "x"/);
    const tooMany = await inject('POST', url, { instances: Array.from({ length: 51 }, () => [1, 2, 3, 4]) });
    expect(tooMany.body).toMatchObject({ statusCode: 413, code: 'TOO_MANY_INSTANCES' });
    const both = await inject('POST', url, { instances: [[1, 2, 3, 4]], inputs: [[1, 2, 3, 4]] });
    expect(both.status).toBe(400);
  });

  it('answers /healthz and /readyz', async () => {
    expect((await inject('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await inject('GET', '/readyz')).body).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });
});
