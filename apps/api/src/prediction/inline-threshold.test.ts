import { modelFromDefinition } from '@kiln/neural-engine';
import { afterAll, describe, expect, it } from 'vitest';
import { type PoolVersion, PredictionPool } from './prediction-pool.js';
import { runModel } from './run-model.js';
import { DEFAULT_INLINE_MAX_WORK, estimateWorkPerSample } from './work-estimate.js';

// How DEFAULT_INLINE_MAX_WORK was chosen, measured again on every run: the cost of a round trip to a prediction thread
// against the compute per unit of work. A batch goes to a thread once the round trip is at most 10 % of its compute.
// Threads run dist/ (`npx tsc -b` first).

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function poolVersion(id: string, definition: object) {
  const model = modelFromDefinition(definition);
  const saved = model.saveWeights();
  const weights = new Uint8Array(new SharedArrayBuffer(saved.data.byteLength));
  weights.set(saved.data);
  const version: PoolVersion = { id, sizeBytes: weights.byteLength, definition, manifest: saved.manifest, weights, loadWork: 0 };
  return { model, version };
}

const pool = new PredictionPool({ threads: 1, threadCacheBytes: 1e9 });
afterAll(() => pool.close());

describe('the inline threshold', () => {
  it('sends work to a thread only where the round trip is a small part of the compute', async () => {
    // Round trip: a one-weight model, so the time is the hand-off (messages, transfer, scheduling), not the math.
    const tiny = poolVersion('tiny', { type: 'Sequential', seed: 1, layers: [{ type: 'Dense', units: 1, inputShape: [1] }] });
    const one = () => [Float32Array.of(0.5)];
    for (let i = 0; i < 200; i++) await pool.run({ version: tiny.version, rows: 1, inputs: one(), work: 1 });
    const trips: number[] = [];
    for (let i = 0; i < 500; i++) {
      const started = performance.now();
      await pool.run({ version: tiny.version, rows: 1, inputs: one(), work: 1 });
      trips.push(performance.now() - started);
    }
    const roundTripMs = median(trips);

    // Compute: the MNIST MLP inline, per unit of estimated work.
    const mlp = poolVersion('mlp', {
      type: 'Sequential',
      seed: 1,
      layers: [
        { type: 'Dense', units: 128, activation: 'relu', inputShape: [784] },
        { type: 'Dense', units: 10, activation: 'softmax' },
      ],
    });
    const workPerSample = estimateWorkPerSample(mlp.model);
    const rows = 16;
    const x = Float32Array.from({ length: rows * 784 }, (_, i) => Math.cos(i));
    for (let i = 0; i < 20; i++) runModel(mlp.model, [x], rows);
    const computes: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      runModel(mlp.model, [x], rows);
      computes.push(performance.now() - started);
    }
    const nsPerWork = (median(computes) * 1e6) / (rows * workPerSample);
    const derived = (10 * roundTripMs * 1e6) / nsPerWork;
    const inlineMsAtThreshold = (DEFAULT_INLINE_MAX_WORK * nsPerWork) / 1e6;
    console.log(
      `round trip ${(roundTripMs * 1000).toFixed(0)} µs; compute ${nsPerWork.toFixed(2)} ns per work unit; ` +
        `round trip = 10 % of compute at ${Math.round(derived).toLocaleString('en-US')} work units ` +
        `(default ${DEFAULT_INLINE_MAX_WORK.toLocaleString('en-US')}: ${inlineMsAtThreshold.toFixed(2)} ms inline, ` +
        `${Math.floor(DEFAULT_INLINE_MAX_WORK / workPerSample)} rows of the MNIST MLP)`,
    );
    // Loose bounds (timings vary between machines and under load): inline work stays short, and what goes to a
    // thread costs more to compute than to hand off.
    expect(inlineMsAtThreshold).toBeLessThan(10);
    expect(roundTripMs).toBeLessThan(inlineMsAtThreshold);
  });
});
