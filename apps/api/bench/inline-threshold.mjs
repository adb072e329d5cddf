// How DEFAULT_INLINE_MAX_WORK (src/prediction/work-estimate.ts) is chosen: the round trip of a request to a
// prediction thread against the compute per unit of estimated work, measured on this machine. A batch should go to a
// thread once the round trip is at most 10 % of its compute. A benchmark, not a test: it prints, asserts nothing.
// Runs the built dist: `npx tsc -b && node apps/api/bench/inline-threshold.mjs`.
import { modelFromDefinition } from '@kiln/neural-engine';
import { PredictionPool } from '../dist/prediction/prediction-pool.js';
import { runModel } from '../dist/prediction/run-model.js';
import { DEFAULT_INLINE_MAX_WORK, estimateWorkPerSample } from '../dist/prediction/work-estimate.js';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function poolVersion(id, definition) {
  const model = modelFromDefinition(definition);
  const saved = model.saveWeights();
  const weights = new Uint8Array(new SharedArrayBuffer(saved.data.byteLength));
  weights.set(saved.data);
  return { model, version: { id, sizeBytes: weights.byteLength, definition, manifest: saved.manifest, weights, loadWork: 0 } };
}

const pool = new PredictionPool({ threads: 1, threadCacheBytes: 1e9 });
try {
  // Round trip: a one-weight model, so the time is the hand-off (messages, transfer, scheduling), not the math.
  const tiny = poolVersion('tiny', { type: 'Sequential', seed: 1, layers: [{ type: 'Dense', units: 1, inputShape: [1] }] });
  const one = () => [Float32Array.of(0.5)];
  for (let i = 0; i < 200; i++) await pool.run({ version: tiny.version, rows: 1, inputs: one(), work: 1 });
  const trips = [];
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
  const computes = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    runModel(mlp.model, [x], rows);
    computes.push(performance.now() - started);
  }
  const nsPerWork = (median(computes) * 1e6) / (rows * workPerSample);
  const derived = (10 * roundTripMs * 1e6) / nsPerWork;
  const inlineMs = (DEFAULT_INLINE_MAX_WORK * nsPerWork) / 1e6;
  console.log(
    `round trip ${(roundTripMs * 1000).toFixed(0)} µs (median of 500); compute ${nsPerWork.toFixed(2)} ns per work unit (median of 30);\n` +
      `round trip = 10 % of compute at ${Math.round(derived).toLocaleString('en-US')} work units; ` +
      `default ${DEFAULT_INLINE_MAX_WORK.toLocaleString('en-US')}: ${inlineMs.toFixed(2)} ms inline, ` +
      `${Math.floor(DEFAULT_INLINE_MAX_WORK / workPerSample)} rows of the MNIST MLP`,
  );
} finally {
  await pool.close();
}
