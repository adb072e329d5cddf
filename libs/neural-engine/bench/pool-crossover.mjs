// Where splitting a WasmBackend op between threads starts to pay: per-call time (copies included) of matmul, the
// window ops and the row ops at growing sizes, on 1 thread and on 2 threads with every op split (split thresholds 0,
// workers ready), plus the same polling before sleeping on either side. Then training samples/s of W1-W3 on
// 1 thread, 2 threads sleeping between ops, and 2 threads polling (the defaults). Run from the built dist:
// `npx tsc -b libs/neural-engine && node libs/neural-engine/bench/pool-crossover.mjs [--no-training]`. Not a test.
import { readFileSync } from 'node:fs';
import { Sequential } from '../dist/index.js';
import { WasmBackend } from '../dist/backend/wasm/wasm-backend.js';
import { windowGeometry } from '../dist/kernels/window-geometry.js';

// µs of polling before sleeping, worker and caller side: WasmBackend's defaults (the 'two' backend sleeps at once).
const WORKER_SPIN = 1000;
const CALLER_SPIN = 1000;
const always = { gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0 };
const split0 = { gemmSplitThreshold: 0, windowSplitThreshold: 0, rowSplitThreshold: 0 };
const one = WasmBackend.create({ ...always, threads: 1 });
const two = WasmBackend.create({ ...always, ...split0, threads: 2, workerSpinMicros: 0, callerSpinMicros: 0 });
const spin = WasmBackend.create({ ...always, ...split0, threads: 2, workerSpinMicros: WORKER_SPIN, callerSpinMicros: CALLER_SPIN });
await Promise.all([two.ready(), spin.ready()]);

function random(backend, shape) {
  const t = backend.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = Math.random() * 2 - 1;
  return t;
}

/** Calls of `f` that last ~3 ms. */
function repsFor(f) {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    if (performance.now() - t0 > 3) return reps;
    reps *= 2;
  }
}

/**
 * Median µs per call of each of `fs`, sampled alternately (9 rounds, each a batch of calls of every f in turn), so
 * that load from other processes, which comes and goes, falls on all of them alike.
 */
function timeAlternating(fs) {
  const reps = fs.map(repsFor);
  const samples = fs.map(() => []);
  for (let round = 0; round < 9; round++) {
    fs.forEach((f, j) => {
      const t0 = performance.now();
      for (let i = 0; i < reps[j]; i++) f();
      samples[j].push(((performance.now() - t0) * 1000) / reps[j]);
    });
  }
  return samples.map((xs) => xs.sort((a, b) => a - b)[4]);
}

const row = (label, work, f) => {
  const [t1, t2, ts] = timeAlternating([f(one), f(two), f(spin)]);
  console.log(`${label.padEnd(26)} ${String(work).padStart(10)} ${t1.toFixed(1).padStart(9)} ${t2.toFixed(1).padStart(9)} ${ts.toFixed(1).padStart(9)}   ${(t1 / t2).toFixed(2)}× ${(t1 / ts).toFixed(2)}×`);
};
const header = (what) => console.log(`\n${what.padEnd(26)} ${'work'.padStart(10)} ${'1 thr µs'.padStart(9)} ${'2 thr µs'.padStart(9)} ${'2+spin'.padStart(9)}   speed-up (2, 2+spin)`);

console.log(`node ${process.version}; load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}; polling ${WORKER_SPIN} / ${CALLER_SPIN} µs (worker / caller)`);
header('matmul m×k×n (NN, TN)');
for (const [m, k, n] of [[8, 64, 64], [16, 64, 64], [32, 64, 64], [32, 128, 128], [64, 128, 128], [64, 256, 128], [64, 784, 128], [256, 784, 128]]) {
  for (const tA of [false, true]) {
    const a = random(one, tA ? [k, m] : [m, k]);
    const b = random(one, [k, n]);
    const out = one.zeros([m, n]);
    row(`${m}×${k}×${n} ${tA ? 'TN' : 'NN'}`, m * k * n, (be) => () => be.matmul(a, b, { transposeA: tA }, out));
  }
}
header('window (batch×h×h×c)');
for (const [batch, h, c] of [[1, 8, 8], [1, 16, 8], [4, 16, 8], [8, 26, 32], [32, 26, 32]]) {
  const x = random(one, [batch, h, h, c]);
  const g = windowGeometry([batch, h, h, c], [2, 2], [2, 2], [1, 1], 'valid');
  const dy = random(one, [batch, g.outH, g.outW, c]);
  const { argmax } = one.maxPool(x, g);
  const gc = windowGeometry([batch, h, h, c], [3, 3], [1, 1], [1, 1], 'valid');
  const cols = random(one, [batch * gc.outH * gc.outW, 9 * c]);
  const dx = one.zeros([batch, h, h, c]);
  const shape = `${batch}×${h}×${h}×${c}`;
  row(`maxPool ${shape}`, x.size + dy.size, (be) => () => be.maxPool(x, g));
  row(`maxPoolBw ${shape}`, x.size + dy.size, (be) => () => be.maxPoolBackward(dy, argmax, g));
  row(`im2col 3x3 ${shape}`, x.size + cols.size, (be) => () => be.im2col(x, gc));
  row(`col2im 3x3 ${shape}`, x.size + cols.size, (be) => () => be.col2im(cols, gc, dx));
}
header('row ops (rows×cols)');
for (const [r, c] of [[16, 64], [64, 128], [64, 512], [256, 512], [512, 1024], [1024, 1024]]) {
  const x = random(one, [r, c]);
  const v = random(one, [c]);
  const t = random(one, [r, c]);
  const shape = `${r}×${c}`;
  row(`addRowVector ${shape}`, x.size, (be) => () => be.addRowVector(x, v, x));
  row(`sumRows ${shape}`, x.size, (be) => () => be.sumRows(x));
  row(`axpy ${shape}`, x.size, (be) => () => be.axpyInPlace(t, 1e-3, x));
  row(`scale ${shape}`, x.size, (be) => () => be.scale(x, 0.999, x));
}

if (!process.argv.includes('--no-training')) {
  const W1 = [{ type: 'InputLayer', shape: [784] }, { type: 'Dense', units: 128, activation: 'relu' }, { type: 'Dense', units: 10, activation: 'softmax' }];
  const W2 = [
    { type: 'InputLayer', shape: [28, 28, 1] }, { type: 'Conv2D', filters: 32, kernelSize: 3, activation: 'relu' }, { type: 'MaxPooling2D', poolSize: 2 },
    { type: 'Conv2D', filters: 64, kernelSize: 3, activation: 'relu' }, { type: 'MaxPooling2D', poolSize: 2 }, { type: 'Flatten' },
    { type: 'Dropout', rate: 0.5 }, { type: 'Dense', units: 10, activation: 'softmax' },
  ];
  const W3 = [{ type: 'InputLayer', shape: [50, 8] }, { type: 'LSTM', units: 64 }, { type: 'Dense', units: 1 }];
  const workloads = [
    { name: 'W1 batch 64', layers: W1, inputShape: [784], classes: 10, batch: 64 },
    { name: 'W1 batch 256', layers: W1, inputShape: [784], classes: 10, batch: 256 },
    { name: 'W2 batch 64', layers: W2, inputShape: [28, 28, 1], classes: 10, batch: 64 },
    { name: 'W3 batch 64', layers: W3, inputShape: [50, 8], classes: 1, batch: 64 },
  ];
  // Default thresholds (the measured ones), pool on or off, spin on or off.
  const variants = {
    '1 thread': () => WasmBackend.create({ threads: 1 }),
    '2 threads': () => WasmBackend.create({ threads: 2, workerSpinMicros: 0, callerSpinMicros: 0 }),
    '2 threads + spin': () => WasmBackend.create({ threads: 2, workerSpinMicros: WORKER_SPIN, callerSpinMicros: CALLER_SPIN }),
    '2 threads, split all': () => WasmBackend.create({ threads: 2, ...split0 }),
  };
  const results = new Map();
  for (let run = 0; run < 3; run++) {
    for (const w of workloads) {
      for (const [name, make] of Object.entries(variants)) {
        const backend = make();
        await backend.ready();
        const model = Sequential.fromDefinition({ type: 'Sequential', seed: 1, layers: w.layers }, { backend });
        model.compile({ optimizer: { type: 'Adam', learningRate: 0.001 }, loss: w.classes === 1 ? 'mse' : 'categorical_crossentropy' });
        const size = w.inputShape.reduce((p, d) => p * d, 1);
        const x = { shape: [w.batch, ...w.inputShape], data: Float32Array.from({ length: w.batch * size }, () => Math.random()) };
        const y = { shape: [w.batch, w.classes], data: new Float32Array(w.batch * w.classes).fill(1 / w.classes) };
        for (let i = 0; i < 2; i++) model.trainOnBatch(x, y);
        let steps = 0;
        const t0 = performance.now();
        while (steps < 3 || performance.now() - t0 < 1200) { model.trainOnBatch(x, y); steps++; }
        const v = (steps * w.batch * 1000) / (performance.now() - t0);
        results.set(`${w.name}|${name}`, [...(results.get(`${w.name}|${name}`) ?? []), v]);
        await backend.close();
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\ntraining samples/s, median of 3 interleaved runs (default split thresholds unless "split all")`);
  console.log(`${'workload'.padEnd(14)} ${Object.keys(variants).map((v) => v.padStart(22)).join('')}`);
  for (const w of workloads) {
    const base = median(results.get(`${w.name}|1 thread`));
    const cells = Object.keys(variants).map((v) => {
      const m = median(results.get(`${w.name}|${v}`));
      return `${Math.round(m)} (${(m / base).toFixed(2)}×)`.padStart(22);
    });
    console.log(`${w.name.padEnd(14)} ${cells.join('')}`);
  }
}
process.exit(0);
