// Training throughput, JsBackend vs WasmBackend, in one process (interleaved, each measurement repeated), from the
// built dist: `npx tsc -b libs/neural-engine && node libs/neural-engine/bench/wasm-throughput.mjs [runs]`.
// W1: 784→128 relu→10 softmax, Adam, batch 64 and 256. W2: Keras mnist_convnet, Adam, batch 64, a few batches.
// W3: LSTM(64) over 50 steps × 8 features → Dense(1), MSE, Adam, batch 64.
// Also: what the copies cost in a copy-in/copy-out GEMM at the W1 shapes. Not a test; asserts nothing.
import { readFileSync } from 'node:fs';
import { JsBackend, Sequential, WasmBackend } from '../dist/index.js';

const RUNS = Number(process.argv[2] ?? 3);

const W1 = [
  { type: 'InputLayer', shape: [784] },
  { type: 'Dense', units: 128, activation: 'relu' },
  { type: 'Dense', units: 10, activation: 'softmax' },
];
const W2 = [
  { type: 'InputLayer', shape: [28, 28, 1] },
  { type: 'Conv2D', filters: 32, kernelSize: 3, activation: 'relu' },
  { type: 'MaxPooling2D', poolSize: 2 },
  { type: 'Conv2D', filters: 64, kernelSize: 3, activation: 'relu' },
  { type: 'MaxPooling2D', poolSize: 2 },
  { type: 'Flatten' },
  { type: 'Dropout', rate: 0.5 },
  { type: 'Dense', units: 10, activation: 'softmax' },
];

const W3 = [
  { type: 'InputLayer', shape: [50, 8] },
  { type: 'LSTM', units: 64 },
  { type: 'Dense', units: 1 },
];

/** Seeded uniform floats (a small LCG: the data only has to be the same for both backends). */
function data(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

/** `count` batches of seeded inputs and one-hot targets over `classes` (or, for 1 output, regression targets). */
function batches(inputShape, classes, batch, count) {
  const size = inputShape.reduce((p, d) => p * d, 1);
  return Array.from({ length: count }, (_, b) => {
    const y = classes === 1 ? data(batch, 99 + b) : new Float32Array(batch * classes);
    if (classes > 1) for (let i = 0; i < batch; i++) y[i * classes + ((i * 7 + b) % classes)] = 1;
    return { x: { shape: [batch, ...inputShape], data: data(batch * size, 17 + b) }, y: { shape: [batch, classes], data: y } };
  });
}

/** Samples/s of trainOnBatch: 2 warm-up steps, then steps until both `minSteps` and `minMs` are reached. */
function measure({ layers, inputShape, classes, batch, minSteps, minMs }, backend) {
  const model = Sequential.fromDefinition({ type: 'Sequential', seed: 1, layers }, { backend });
  model.compile({ optimizer: { type: 'Adam', learningRate: 0.001 }, loss: classes === 1 ? 'mse' : 'categorical_crossentropy' });
  const set = batches(inputShape, classes, batch, 4);
  for (let i = 0; i < 2; i++) model.trainOnBatch(set[i % 4].x, set[i % 4].y);
  let steps = 0;
  const t0 = performance.now();
  while (steps < minSteps || performance.now() - t0 < minMs) {
    const { x, y } = set[steps % 4];
    model.trainOnBatch(x, y);
    steps++;
  }
  return (steps * batch * 1000) / (performance.now() - t0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));

const backends = { js: () => new JsBackend('float32'), wasm: () => WasmBackend.create() };
const workloads = [
  { name: 'W1 batch 64', layers: W1, inputShape: [784], classes: 10, batch: 64, minSteps: 30, minMs: 1500 },
  { name: 'W1 batch 256', layers: W1, inputShape: [784], classes: 10, batch: 256, minSteps: 10, minMs: 1500 },
  { name: 'W2 batch 64', layers: W2, inputShape: [28, 28, 1], classes: 10, batch: 64, minSteps: 3, minMs: 1500 },
  { name: 'W3 batch 64', layers: W3, inputShape: [50, 8], classes: 1, batch: 64, minSteps: 3, minMs: 1500 },
];

console.log(`node ${process.version}, ${RUNS} runs, interleaved; load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
const results = new Map();
for (let run = 0; run < RUNS; run++) {
  for (const w of workloads) {
    for (const [name, make] of Object.entries(backends)) {
      const v = measure(w, make());
      const key = `${w.name}|${name}`;
      results.set(key, [...(results.get(key) ?? []), v]);
    }
  }
}
console.log('\nworkload        backend   train samples/s median [min–max]     wasm/js');
for (const w of workloads) {
  const js = results.get(`${w.name}|js`);
  for (const name of Object.keys(backends)) {
    const xs = results.get(`${w.name}|${name}`);
    const ratio = name === 'wasm' ? `${(median(xs) / median(js)).toFixed(1)}×` : '';
    console.log(`${w.name.padEnd(15)} ${name.padEnd(9)} ${fmt(median(xs)).padStart(8)} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`.padEnd(62) + ratio);
  }
}

// The copies' share at the W1 shapes: the same GEMM through WasmBackend.matmul (copy in A and B, copy out C) and
// on operands already in the wasm memory (the kernel alone).
const wasm = WasmBackend.create();
const kernels = wasm.kernels;
console.log('\nGEMM at the W1 shapes        with copies µs   kernel only µs   copies share');
for (const [label, m, k, n, tA, tB] of [
  ['forward 64×784·784×128', 64, 784, 128, false, false],
  ['dW 784×64ᵀ·64×128 (TN)', 784, 64, 128, true, false],
  ['forward 256×784·784×128', 256, 784, 128, false, false],
]) {
  const a = wasm.fromValues(tA ? [k, m] : [m, k], data(m * k, 1));
  const b = wasm.fromValues(tB ? [n, k] : [k, n], data(k * n, 2));
  const c = wasm.zeros([m, n]);
  const wa = kernels.arena.alloc(m * k);
  const wb = kernels.arena.alloc(k * n);
  const wc = kernels.arena.alloc(m * n);
  kernels.arena.view(wa).set(a.data);
  kernels.arena.view(wb).set(b.data);
  const time = (f) => {
    const samples = [];
    for (let s = 0; s < 9; s++) {
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) f();
      samples.push(((performance.now() - t0) * 1000) / 50);
    }
    return median(samples);
  };
  const withCopies = time(() => wasm.matmul(a, b, { transposeA: tA, transposeB: tB }, c));
  const kernelOnly = time(() => kernels.gemm(wa, wb, wc, m, k, n, { transposeA: tA, transposeB: tB }));
  console.log(`${label.padEnd(28)} ${withCopies.toFixed(1).padStart(10)} ${kernelOnly.toFixed(1).padStart(16)} ${(((withCopies - kernelOnly) / withCopies) * 100).toFixed(1).padStart(12)} %`);
}
console.log(`\nload average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
