import { addModelVersion, createModel, createPrismaClient, ensureTenant, type PrismaClient } from '@kiln/db';
import { modelFromDefinition } from '@kiln/neural-engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { AppError } from '../errors.js';
import { CachedPredictor, type CachedPredictorOptions } from './predictor.js';

// Real Postgres; threads run dist/prediction/prediction-thread.js (`npx tsc -b` first).

let database: TestDatabase;
let db: PrismaClient;
let tenantId: string;

beforeAll(async () => {
  database = await createMigratedDatabase('prediction');
  db = createPrismaClient(database.url, { poolMax: 4 });
  tenantId = await ensureTenant(db, 'prediction');
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const predictors: CachedPredictor[] = [];
const predictor = (options: Partial<CachedPredictorOptions> = {}) => {
  const p = new CachedPredictor(db, { cacheBytes: 1e9, maxRows: 10_000, ...options });
  predictors.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(predictors.splice(0).map((p) => p.close()));
});

const mlp = {
  type: 'Sequential',
  layers: [
    { type: 'Dense', units: 128, activation: 'relu', inputShape: [784] },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
};
const convnet = {
  type: 'Sequential',
  layers: [
    { type: 'Conv2D', filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] },
    { type: 'MaxPooling2D', poolSize: 2 },
    { type: 'Flatten' },
    { type: 'Dense', units: 3, activation: 'softmax' },
  ],
};

/** Stores a model with `versions` trained-looking versions (each with its own random weights); returns their ids. */
async function storeModel(definition: object, versions = 1, classNames: string[] | null = null) {
  const model = await createModel(db, tenantId, { name: 'm', source: 'definition', definition, summary: {} });
  const ids: string[] = [];
  for (let v = 0; v < versions; v++) {
    const saved = modelFromDefinition({ ...definition, seed: 100 + v }).saveWeights();
    const row = await db.$transaction((tx) => addModelVersion(tx, tenantId, model.id, { manifest: saved.manifest, weights: saved.data, classNames }));
    ids.push(row.id);
  }
  return { modelId: model.id, versionIds: ids };
}

const samples = (rows: number, size: number, seed = 0) => Array.from({ length: rows }, (_, r) => Array.from({ length: size }, (_, i) => Math.sin(seed + r * size + i)));

describe('CachedPredictor', () => {
  it('gives the same bits inline and in a thread, for a dense and a convolutional model', async () => {
    const inline = predictor({ threads: 0 });
    const threaded = predictor({ threads: 2, inlineMaxWork: 0 });
    const dense = await storeModel(mlp, 1, Array.from({ length: 10 }, (_, i) => `digit-${i}`));
    const conv = await storeModel(convnet);
    for (const [model, size, rows] of [[dense, 784, 1], [dense, 784, 700], [conv, 64, 3], [conv, 64, 513]] as const) {
      const body = { instances: samples(rows, size) };
      const a = await inline.predict({ tenantId, modelId: model.modelId, body });
      const b = await threaded.predict({ tenantId, modelId: model.modelId, body });
      // Float32 values widened to doubles: equal doubles are equal float32 bits.
      expect(b.values).toEqual(a.values);
      expect(b.predictedClasses).toEqual(a.predictedClasses);
      expect((a.values as unknown[]).length).toBe(rows);
    }
    const threads = await Promise.all([0, 1].map((i) => threaded.pool!.inspect(i)));
    expect(threads.reduce((n, t) => n + t.loads, 0)).toBeGreaterThanOrEqual(2);
    const named = await inline.predict({ tenantId, modelId: dense.modelId, body: { instances: samples(2, 784) } });
    expect(named.predictedClasses?.every((c) => typeof c === 'string' && c.startsWith('digit-'))).toBe(true);
  });

  it('runs tiny batches inline and the rest in a thread', async () => {
    const p = predictor({ threads: 1 });
    const { modelId } = await storeModel(mlp);
    await p.predict({ tenantId, modelId, body: { instances: samples(39, 784) } });
    expect(p.pool!.describe()).toEqual([null]); // 39 rows × ~101,900 multiply-adds: inline, no thread spawned
    await p.predict({ tenantId, modelId, body: { instances: samples(40, 784) } });
    expect(await p.pool!.inspect(0)).toMatchObject({ loads: 1 });
  });

  it('evicts by bytes on the main thread and in each thread, which drops what its mirror evicted', async () => {
    const { modelId, versionIds } = await storeModel(mlp, 3);
    const [v1, v2, v3] = versionIds as [string, string, string];
    const size = 101_770 * 4;
    // Main thread: room for two versions (each counts its model and its bytes); the thread: room for two.
    const p = predictor({ threads: 1, inlineMaxWork: 0, cacheBytes: 4 * size + 100, threadCacheBytes: 2 * size + 100 });
    const run = (version: number) => p.predict({ tenantId, modelId, version, body: { instances: samples(2, 784) } });
    await run(1);
    await run(2);
    await run(3);
    expect(p.cachedVersionIds()).toEqual([v2, v3]);
    expect(p.pool!.describe()[0]).toMatchObject({ versionIds: [v2, v3], heldBytes: 2 * size });
    expect(await p.pool!.inspect(0)).toEqual({ versionIds: [v2, v3], loads: 3 });
    // A held version travels without its weights.
    await run(2);
    expect(await p.pool!.inspect(0)).toEqual({ versionIds: [v2, v3], loads: 3 });
    // v3 is now the least recently used: v1 replaces it on both sides.
    await run(1);
    expect(p.cachedVersionIds()).toEqual([v2, v1]);
    expect(p.pool!.describe()[0]!.versionIds).toEqual([v2, v1]);
    expect(await p.pool!.inspect(0)).toEqual({ versionIds: [v2, v1], loads: 4 });
  });

  it('uses a version too large for a thread once, without keeping it', async () => {
    const { modelId, versionIds } = await storeModel(mlp);
    const p = predictor({ threads: 1, inlineMaxWork: 0, threadCacheBytes: 1000 });
    await p.predict({ tenantId, modelId, body: { instances: samples(2, 784) } });
    await p.predict({ tenantId, modelId, body: { instances: samples(2, 784) } });
    expect(p.cachedVersionIds()).toEqual(versionIds);
    expect(await p.pool!.inspect(0)).toEqual({ versionIds: [], loads: 2 });
  });

  it('fails a request whose thread is killed with PREDICTION_UNAVAILABLE, then serves from a new thread', async () => {
    const { modelId } = await storeModel(mlp);
    const p = predictor({ threads: 1, inlineMaxWork: 0 });
    const body = { instances: samples(6000, 784) };
    const request = p.predict({ tenantId, modelId, body });
    while (p.pool!.describe()[0]?.pendingRequests !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = p.pool!.describe()[0]!.threadId;
    const killedAt = performance.now();
    await p.pool!.terminateThread(0);
    const error = await request.then(() => null, (e: unknown) => e);
    const failedAfter = performance.now() - killedAt;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ statusCode: 503, code: 'PREDICTION_UNAVAILABLE' });
    // 6,000 rows take about a second of compute; the failure arrives as soon as the thread is gone.
    expect(failedAfter).toBeLessThan(100);
    const again = await p.predict({ tenantId, modelId, body: { instances: samples(10, 784) } });
    expect((again.values as unknown[]).length).toBe(10);
    expect(p.pool!.describe()[0]!.threadId).not.toBe(before);
  });
});
