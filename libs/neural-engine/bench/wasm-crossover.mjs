// Where WasmBackend's copy-in/copy-out starts to pay: per-call time of matmul (all three forms), max pooling, im2col
// and the row ops at growing sizes, JsBackend vs WasmBackend with thresholds 0 (every op through the copies and the kernel). Run from the
// built dist: `npx tsc -b libs/neural-engine && node libs/neural-engine/bench/wasm-crossover.mjs`. Not a test.
import { readFileSync } from 'node:fs';
import { JsBackend } from '../dist/index.js';
import { WasmBackend } from '../dist/backend/wasm/wasm-backend.js';
import { windowGeometry } from '../dist/kernels/window-geometry.js';

const js = new JsBackend('float32');
const wasm = WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0 });

function random(backend, shape) {
  const t = backend.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = Math.random() * 2 - 1;
  return t;
}

/** Median µs per call of `f` over 7 batches of enough calls to last ~5 ms. */
function time(f) {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    if (performance.now() - t0 > 5) break;
    reps *= 2;
  }
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    samples.push(((performance.now() - t0) * 1000) / reps);
  }
  return samples.sort((a, b) => a - b)[3];
}

console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
console.log('matmul  m×k×n        form   js µs   wasm µs   (multiply-adds)');
for (const [m, k, n] of [[2, 4, 4], [4, 8, 8], [8, 8, 8], [8, 16, 16], [16, 16, 16], [16, 32, 32], [32, 32, 32], [32, 64, 64], [64, 64, 10], [64, 1, 64]]) {
  for (const [tA, tB] of [[false, false], [true, false], [false, true]]) {
    const a = random(js, tA ? [k, m] : [m, k]);
    const b = random(js, tB ? [n, k] : [k, n]);
    const out = js.zeros([m, n]);
    const o = { transposeA: tA, transposeB: tB };
    const tj = time(() => js.matmul(a, b, o, out));
    const tw = time(() => wasm.matmul(a, b, o, out));
    console.log(`${`${m}×${k}×${n}`.padEnd(14)} ${(tA ? 'TN' : tB ? 'NT' : 'NN').padEnd(4)} ${tj.toFixed(2).padStart(8)} ${tw.toFixed(2).padStart(9)}   ${m * k * n}`);
  }
}
console.log('window  input            op        js µs   wasm µs   (floats in + out)');
for (const [h, c] of [[2, 1], [4, 2], [4, 4], [6, 4], [8, 4], [8, 8], [12, 8], [16, 8]]) {
  const g = windowGeometry([1, h, h, c], [2, 2], [2, 2], [1, 1], 'valid');
  const x = random(js, [1, h, h, c]);
  const dy = random(js, [1, g.outH, g.outW, c]);
  const { argmax } = js.maxPool(x, g);
  const gc = windowGeometry([1, h, h, c], [3, 3], [1, 1], [1, 1], 'same');
  const floats = x.size + dy.size;
  for (const [op, fj, fw, n] of [
    ['maxPool', () => js.maxPool(x, g), () => wasm.maxPool(x, g), floats],
    ['maxPoolBw', () => js.maxPoolBackward(dy, argmax, g), () => wasm.maxPoolBackward(dy, argmax, g), floats],
    ['im2col3x3', () => js.im2col(x, gc), () => wasm.im2col(x, gc), x.size * 10],
  ]) {
    console.log(`${`[1,${h},${h},${c}]`.padEnd(16)} ${op.padEnd(10)} ${time(fj).toFixed(2).padStart(7)} ${time(fw).toFixed(2).padStart(9)}   ${n}`);
  }
}
console.log('row ops  rows×cols   addRowVector js/wasm µs   sumRows js/wasm   axpy js/wasm   scale js/wasm   (floats)');
for (const [rows, cols] of [[4, 16], [8, 32], [16, 64], [32, 64], [32, 128], [64, 128], [256, 128]]) {
  const x = random(js, [rows, cols]);
  const v = random(js, [cols]);
  const out = js.zeros([rows, cols]);
  const sums = js.zeros([cols]);
  const pair = (fj, fw) => `${time(fj).toFixed(2)}/${time(fw).toFixed(2)}`;
  console.log([
    `${rows}×${cols}`.padEnd(20),
    pair(() => js.addRowVector(x, v, out), () => wasm.addRowVector(x, v, out)).padEnd(25),
    pair(() => js.sumRows(x, sums), () => wasm.sumRows(x, sums)).padEnd(17),
    pair(() => js.axpyInPlace(out, 0.5, x), () => wasm.axpyInPlace(out, 0.5, x)).padEnd(14),
    pair(() => js.scale(x, 0.5, out), () => wasm.scale(x, 0.5, out)).padEnd(15),
    rows * cols,
  ].join(' '));
}
