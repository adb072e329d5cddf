import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelFromDefinition } from '@kiln/neural-engine';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { type PoolVersion, PredictionPool } from './prediction-pool.js';
import { runModel } from './run-model.js';

// Threads run dist/prediction/prediction-thread.js: `npx tsc -b` first.

const definition = {
  type: 'Sequential',
  layers: [
    { type: 'Dense', units: 128, activation: 'relu', inputShape: [784] },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
};

// About 1.9 million multiply-adds a row (the MNIST MLP has 0.1 million): requests that stay busy for a second or so
// even on the WebAssembly kernels, for tests that need a thread caught mid-request.
const heavyDefinition = {
  type: 'Sequential',
  layers: [
    { type: 'Dense', units: 1024, activation: 'relu', inputShape: [784] },
    { type: 'Dense', units: 1024, activation: 'relu' },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
};

function version(id: string, seed: number, shape: object = definition) {
  const model = modelFromDefinition({ ...shape, seed } as Parameters<typeof modelFromDefinition>[0]);
  const saved = model.saveWeights();
  const weights = new Uint8Array(new SharedArrayBuffer(saved.data.byteLength));
  weights.set(saved.data);
  const pool: PoolVersion = { id, sizeBytes: weights.byteLength, definition: { ...shape, seed }, manifest: saved.manifest, weights, loadWork: 0 };
  return { model, pool };
}

const inputs = (rows: number) => [Float32Array.from({ length: rows * 784 }, (_, i) => Math.sin(i))];

const pools: PredictionPool[] = [];
const newPool = (options: ConstructorParameters<typeof PredictionPool>[0]) => {
  const pool = new PredictionPool(options);
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('PredictionPool', () => {
  it('computes what the main thread computes, bit for bit', async () => {
    const { model, pool: v } = version('v1', 1);
    const pool = newPool({ threads: 1, threadCacheBytes: 1e9 });
    const [threaded] = await pool.run({ version: v, rows: 300, inputs: inputs(300), work: 1 });
    const [inline] = runModel(model, inputs(300), 300);
    expect(threaded!.shape).toEqual([300, 10]);
    expect(Buffer.from(threaded!.data.buffer).equals(Buffer.from(inline!.data.buffer))).toBe(true);
  });

  it('gives a job to the idle thread, and to the one holding the version when both are idle', async () => {
    const { pool: v } = version('v1', 1);
    const pool = newPool({ threads: 2, threadCacheBytes: 1e9 });
    const long = pool.run({ version: v, rows: 3000, inputs: inputs(3000), work: 3000 });
    const short = pool.run({ version: v, rows: 1, inputs: inputs(1), work: 1 });
    const busy = pool.describe();
    expect(busy.map((t) => t?.pendingRequests)).toEqual([1, 1]);
    await Promise.all([long, short]);
    // Both hold v1 now; with both idle, the first holder takes the next job without another load.
    await pool.run({ version: v, rows: 1, inputs: inputs(1), work: 1 });
    expect((await pool.inspect(0)).loads + (await pool.inspect(1)).loads).toBe(2);
  });

  it('fails the requests of a thread that dies with PREDICTION_UNAVAILABLE at once, and replaces the thread', async () => {
    const { pool: v } = version('v1', 1, heavyDefinition);
    const pool = newPool({ threads: 1, threadCacheBytes: 1e9 });
    await pool.run({ version: v, rows: 1, inputs: inputs(1), work: 1 });
    const before = pool.describe()[0]!.threadId;
    // About 2 × 9.5 billion multiply-adds (~0.5 s each on the WebAssembly kernels): the failure must come long before.
    // Both inputs exist before either request is sent: built in between (half a second of Math.sin), the first
    // request could finish before the second was even posted.
    const [first, second] = [inputs(5000), inputs(5000)];
    const running = [pool.run({ version: v, rows: 5000, inputs: first, work: 5000 }), pool.run({ version: v, rows: 5000, inputs: second, work: 5000 })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const killedAt = performance.now();
    await pool.terminateThread(0);
    const errors = await Promise.all(running.map(rejection));
    const failedAfter = performance.now() - killedAt;
    for (const error of errors) {
      expect(error).toMatchObject({ statusCode: 503, code: 'PREDICTION_UNAVAILABLE' });
      expect(error.message).toMatch(/prediction thread \d+ stopped \(exit code 1\) while running this request; retry it/);
    }
    expect(failedAfter).toBeLessThan(100);
    const after = pool.describe()[0]!;
    expect(after.threadId).not.toBe(before);
    // The new thread holds nothing: the weights go with the next request, which succeeds.
    expect(after.versionIds).toEqual([]);
    const [output] = await pool.run({ version: v, rows: 2, inputs: inputs(2), work: 2 });
    expect(output!.shape).toEqual([2, 10]);
    expect(await pool.inspect(0)).toEqual({ versionIds: ['v1'], loads: 1 });
  });

  it('fails fast, and says why, when a thread cannot start', async () => {
    const missing = newPool({ threads: 1, threadCacheBytes: 1e9, file: '/nonexistent/prediction-thread.js' });
    const { pool: v } = version('v1', 1);
    const notBuilt = await rejection(missing.run({ version: v, rows: 1, inputs: inputs(1), work: 1 }));
    expect(notBuilt).toMatchObject({ statusCode: 503, code: 'PREDICTION_UNAVAILABLE' });
    expect(notBuilt.message).toContain('/nonexistent/prediction-thread.js is not built; run `npx tsc -b`');

    const folder = mkdtempSync(path.join(tmpdir(), 'kiln-thread-'));
    const file = path.join(folder, 'broken-thread.mjs');
    writeFileSync(file, "throw new Error('engine failed to load');\n");
    const broken = newPool({ threads: 1, threadCacheBytes: 1e9, file });
    const error = await rejection(broken.run({ version: v, rows: 1, inputs: inputs(1), work: 1 }));
    expect(error).toMatchObject({ statusCode: 503, code: 'PREDICTION_UNAVAILABLE' });
    expect(error.message).toContain('engine failed to load');
    // Not respawned in a loop: the slot stays empty until a request needs it.
    expect(broken.describe()).toEqual([null]);
  });

  it('rejects a request that cannot be posted, and its thread is not recorded as holding the version', async () => {
    const { pool: v } = version('v1', 1);
    const pool = newPool({ threads: 1, threadCacheBytes: 1e9 });
    const unclonable = { ...v, definition: { ...definition, build: () => 0 } };
    const error = await rejection(pool.run({ version: unclonable, rows: 1, inputs: inputs(1), work: 1 }));
    expect(error).toMatchObject({ statusCode: 500, code: 'PREDICTION_NOT_SENT' });
    expect(error.message).toMatch(/could not be sent to a prediction thread: .*could not be cloned/);
    expect(pool.describe()[0]).toMatchObject({ versionIds: [], pendingRequests: 0 });
    await pool.run({ version: v, rows: 1, inputs: inputs(1), work: 1 });
    expect(await pool.inspect(0)).toEqual({ versionIds: ['v1'], loads: 1 });
  });

  it('close() fails what is running, refuses new work and is idempotent', async () => {
    const { pool: v } = version('v1', 1);
    const pool = newPool({ threads: 1, threadCacheBytes: 1e9 });
    const running = pool.run({ version: v, rows: 3000, inputs: inputs(3000), work: 3000 });
    const first = pool.close();
    expect(pool.close()).toBe(first);
    await first;
    expect(await rejection(running)).toMatchObject({ code: 'PREDICTION_UNAVAILABLE', message: 'the api is shutting down; retry on another instance' });
    expect(await rejection(pool.run({ version: v, rows: 1, inputs: inputs(1), work: 1 }))).toMatchObject({ code: 'PREDICTION_UNAVAILABLE' });
  });
});
