import { describe, expect, it } from 'vitest';
import type { ModelDefinition } from '../../../model/definition.js';
import { Sequential } from '../../../model/sequential.js';
import { WasmBackend } from '../wasm-backend.js';

/*
 * Kiln issue 5's determinism test: training W1, W2 and W3 (batch 8, 2 steps) at 1, 2 and 3 threads gives
 * bitwise-identical weights. Every op goes to wasm and is split (all thresholds 0) once the workers are ready; with
 * work stealing off, the pool's counters show the workers computed parts, so the test cannot pass by running on one
 * thread. Also at 2 threads with stealing on (the default), where who computes a part varies from run to run.
 */

type LayerDefinition = Extract<ModelDefinition, { type: 'Sequential' }>['layers'][number];

// As in bench/children/kiln.mjs (the workloads of `npm run bench`).
const W1: LayerDefinition[] = [
  { type: 'InputLayer', shape: [784] },
  { type: 'Dense', units: 128, activation: 'relu' },
  { type: 'Dense', units: 10, activation: 'softmax' },
];
const W2: LayerDefinition[] = [
  { type: 'InputLayer', shape: [28, 28, 1] },
  { type: 'Conv2D', filters: 32, kernelSize: 3, activation: 'relu' },
  { type: 'MaxPooling2D', poolSize: 2 },
  { type: 'Conv2D', filters: 64, kernelSize: 3, activation: 'relu' },
  { type: 'MaxPooling2D', poolSize: 2 },
  { type: 'Flatten' },
  { type: 'Dropout', rate: 0.5 },
  { type: 'Dense', units: 10, activation: 'softmax' },
];
const W3: LayerDefinition[] = [
  { type: 'InputLayer', shape: [50, 8] },
  { type: 'LSTM', units: 64 },
  { type: 'Dense', units: 1 },
];

/** Seeded uniform floats in [-1, 1) (an LCG: the data only has to be the same for every run). */
function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

const BATCH = 8;
const STEPS = 2;

const workloads = [
  { name: 'W1 (Dense 784→128 relu→10 softmax, Adam, categorical crossentropy)', layers: W1, inputShape: [784], classes: 10 },
  { name: 'W2 (mnist_convnet)', layers: W2, inputShape: [28, 28, 1], classes: 10 },
  { name: 'W3 (LSTM(64) over 50×8 → Dense(1), MSE)', layers: W3, inputShape: [50, 8], classes: 1 },
];

/** Weights after STEPS steps of BATCH samples on `threads` threads, and the parts the pool's workers computed. */
async function train(w: (typeof workloads)[number], threads: number, workStealing = false): Promise<{ weights: Buffer[]; workerParts: number }> {
  const backend = WasmBackend.create({
    threads, workStealing, gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, gemmSplitThreshold: 0, windowSplitThreshold: 0, rowSplitThreshold: 0,
  });
  try {
    await backend.ready();
    const model = Sequential.fromDefinition({ type: 'Sequential', seed: 11, layers: w.layers }, { backend });
    model.compile({ optimizer: { type: 'Adam', learningRate: 0.01 }, loss: w.classes === 1 ? 'mse' : 'categorical_crossentropy' });
    const size = w.inputShape.reduce((p, d) => p * d, 1);
    for (let step = 0; step < STEPS; step++) {
      const y = w.classes === 1 ? data(BATCH, 50 + step) : new Float32Array(BATCH * w.classes);
      if (w.classes > 1) for (let i = 0; i < BATCH; i++) y[i * w.classes + ((i * 3 + step) % w.classes)] = 1;
      model.trainOnBatch({ shape: [BATCH, ...w.inputShape], data: data(BATCH * size, 7 + step) }, { shape: [BATCH, w.classes], data: y });
    }
    const weights = model.getWeights().map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    return { weights, workerParts: backend.poolStats?.workerParts ?? 0 };
  } finally {
    await backend.close();
  }
}

describe('training on 1, 2 and 3 threads', () => {
  it.each(workloads)('$name: bitwise-identical weights', async (w) => {
    const one = await train(w, 1);
    for (const [threads, stealing] of [[2, false], [3, false], [2, true]] as const) {
      const many = await train(w, threads, stealing);
      const label = `${threads} threads${stealing ? ', stealing' : ''}`;
      console.log(`${w.name.split(' ')[0]} at ${label}: ${many.workerParts} parts computed by workers`);
      if (!stealing) expect(many.workerParts, `${label}: parts computed by workers`).toBeGreaterThan(0);
      expect(many.weights.length).toBe(one.weights.length);
      many.weights.forEach((bytes, i) => expect(bytes.equals(one.weights[i]!), `${label}, weight ${i}`).toBe(true));
    }
  }, 60_000);
});
