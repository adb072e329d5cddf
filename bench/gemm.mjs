// `npm run bench:gemm`: single-thread fp32 GEMM throughput at the shapes training W1 and W2 (and W3) run (issue 5, target 7:
// ≥ 12 GFLOP/s), in all three forms backprop uses — forward A·B, weight gradient Aᵀ·B, input gradient A·Bᵀ — for
// Kiln's WebAssembly SIMD kernel, Kiln's plain-JS kernel (src/kernels/matmul.ts) and TensorFlow.js `wasm` (XNNPACK)
// tf.matMul, measured interleaved in one process so that all three see the same machine load. Prints GFLOP/s as
// median [min–max] over the runs. Asserts nothing.
//
// Needs the engine built (`npm run build`, for dist/); builds kernels.wasm itself when its sources changed.
// Options: --runs N (default 5), --min-ms T (time per measurement, default 60), --only SUBSTRING (shape filter).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'libs', 'neural-engine', 'dist');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const RUNS = Math.max(1, Number(option('runs', '5')));
const MIN_MS = Math.max(1, Number(option('min-ms', '60')));
const ONLY = option('only', '');

for (const file of ['kernels/matmul.js', 'backend/wasm/wasm-kernels.js']) {
  if (!existsSync(path.join(dist, file))) {
    console.error(`libs/neural-engine/dist/${file} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const { buildWasm } = await import(pathToFileURL(path.join(root, 'scripts', 'build-wasm.mjs')).href);
await buildWasm();
const { matmulNN, matmulTN, matmulNT } = await import(pathToFileURL(path.join(dist, 'kernels', 'matmul.js')).href);
const { WasmKernels } = await import(pathToFileURL(path.join(dist, 'backend', 'wasm', 'wasm-kernels.js')).href);
const { measureSimdCeiling } = await import(pathToFileURL(path.join(root, 'bench', 'lib', 'simd-ceiling.mjs')).href);

const tf = await import('@tensorflow/tfjs');
const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
// Must precede the backend's initialisation; in Node the backend loads its non-threaded SIMD build anyway.
tfWasm.setThreadsCount(1);
if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not initialise its wasm backend');
await tf.ready();

// [workload, layer, form, m, k, n]: form NN = A·B, TN = Aᵀ·B (A stored [k, m]), NT = A·Bᵀ (B stored [n, k]).
const W1 = (batch) => [
  [`W1 b${batch}`, 'dense 784→128 forward', 'NN', batch, 784, 128],
  [`W1 b${batch}`, 'dense 784→128 dW = xᵀ·dy', 'TN', 784, batch, 128],
  [`W1 b${batch}`, 'dense 784→128 dx = dy·Wᵀ', 'NT', batch, 128, 784],
  [`W1 b${batch}`, 'dense 128→10 forward', 'NN', batch, 128, 10],
  [`W1 b${batch}`, 'dense 128→10 dW', 'TN', 128, batch, 10],
  [`W1 b${batch}`, 'dense 128→10 dx', 'NT', batch, 10, 128],
];
const W2 = [
  // Conv2D 32 3x3 on 28x28x1 at batch 64: im2col rows 64·26·26, width 3·3·1.
  ['W2 b64', 'conv 3x3x1→32 forward', 'NN', 43264, 9, 32],
  ['W2 b64', 'conv 3x3x1→32 dW = colsᵀ·dy', 'TN', 9, 43264, 32],
  ['W2 b64', 'conv 3x3x1→32 dcols = dy·Wᵀ', 'NT', 43264, 32, 9],
  // Conv2D 64 3x3 on 13x13x32: rows 64·11·11, width 3·3·32.
  ['W2 b64', 'conv 3x3x32→64 forward', 'NN', 7744, 288, 64],
  ['W2 b64', 'conv 3x3x32→64 dW', 'TN', 288, 7744, 64],
  ['W2 b64', 'conv 3x3x32→64 dcols', 'NT', 7744, 64, 288],
  ['W2 b64', 'dense 1600→10 forward', 'NN', 64, 1600, 10],
  ['W2 b64', 'dense 1600→10 dW', 'TN', 1600, 64, 10],
  ['W2 b64', 'dense 1600→10 dx', 'NT', 64, 10, 1600],
];
// W3 (LSTM(64) over 8 features, batch 64), per time step: the four gates of x·W and h·U, their gradients, Dense(1).
const W3 = [
  ['W3 b64', 'lstm x·W (8→4·64)', 'NN', 64, 8, 256],
  ['W3 b64', 'lstm h·U (64→4·64)', 'NN', 64, 64, 256],
  ['W3 b64', 'lstm dU = hᵀ·dgates', 'TN', 64, 64, 256],
  ['W3 b64', 'lstm dh = dgates·Uᵀ', 'NT', 64, 256, 64],
  ['W3 b64', 'lstm dx = dgates·Wᵀ', 'NT', 64, 256, 8],
  ['W3 b64', 'dense 64→1 forward', 'NN', 64, 64, 1],
];
const shapes = [...W1(64), ...W1(256), ...W2, ...W3].filter((s) => `${s[0]} ${s[1]} ${s[2]}`.includes(ONLY));

const kernels = WasmKernels.create({ initialBytes: 64 * 2 ** 20, maximumBytes: 2 ** 30 });
const { arena } = kernels;

/** Deterministic values in [-1, 1) (a small LCG: the bench must not depend on Math.random's state). */
function fill(view, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < view.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    view[i] = s / 2 ** 31 - 1;
  }
}

/** Runs `fn` repeatedly for at least MIN_MS; returns seconds per call. */
function timePerCall(fn) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_MS);
  return elapsed / 1000 / calls;
}

function setup([, , form, m, k, n], seed) {
  const tA = form === 'TN';
  const tB = form === 'NT';
  const a = arena.alloc(m * k);
  const b = arena.alloc(k * n);
  const c = arena.alloc(m * n);
  fill(arena.view(a), seed);
  fill(arena.view(b), seed + 1);
  // The JS kernel and TF.js get their own copies, outside the shared memory, as they would hold them.
  const ja = arena.view(a).slice();
  const jb = arena.view(b).slice();
  const jc = new Float32Array(m * n);
  const jsKernel = tA ? matmulTN : tB ? matmulNT : matmulNN;
  const ta = tf.tensor2d(ja, tA ? [k, m] : [m, k]);
  const tb = tf.tensor2d(jb, tB ? [n, k] : [k, n]);
  return {
    wasm: () => kernels.gemm(a, b, c, m, k, n, { transposeA: tA, transposeB: tB }),
    js: () => jsKernel(ja, jb, jc, m, k, n),
    'tfjs-wasm': () => tf.matMul(ta, tb, tA, tB).dispose(),
    check() {
      // The three agree (a wrong shape or form would make the comparison meaningless).
      const t = tf.matMul(ta, tb, tA, tB);
      const tv = t.dataSync();
      t.dispose();
      const wv = arena.view(c);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < wv.length; i++) {
        worst = Math.max(worst, Math.abs(wv[i] - jc[i]), Math.abs(wv[i] - tv[i]));
        scale = Math.max(scale, Math.abs(jc[i]));
      }
      return worst / (scale || 1);
    },
    dispose() {
      ta.dispose();
      tb.dispose();
      for (const x of [a, b, c]) arena.release(x);
    },
  };
}

const systems = ['wasm', 'js', 'tfjs-wasm'];
const rates = shapes.map(() => Object.fromEntries(systems.map((s) => [s, []])));
// The machine's f32x4 multiply-and-add ceiling, once a run, among the shapes' measurements.
const ceilings = [];
const disagreements = [];

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`GEMM, one thread, GFLOP/s = 2·m·k·n / time; median [min–max] of ${RUNS} runs, ≥ ${MIN_MS} ms each, systems interleaved`);
console.log(`${cpu}, ${os.cpus().length} cores; Node ${process.version}; TF.js ${tf.version.tfjs} wasm backend, threads ${tfWasm.getThreadsCount()}`);
console.log(`load average at start: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);

for (let run = 0; run < RUNS; run++) {
  for (const [index, shape] of shapes.entries()) {
    const s = setup(shape, 1000 + index);
    const flops = 2 * shape[3] * shape[4] * shape[5];
    for (const system of systems) {
      s[system](); // warm-up: tier-up of the JS/wasm code, TF.js kernel set-up
      rates[index][system].push(flops / timePerCall(s[system]) / 1e9);
    }
    if (run === 0) {
      const err = s.check();
      if (err > 1e-4) disagreements.push(`${shape[0]} ${shape[1]}: relative difference ${err.toExponential(1)}`);
    }
    s.dispose();
  }
  ceilings.push(measureSimdCeiling({ runs: 1, minMs: MIN_MS }).median);
  process.stdout.write(`run ${run + 1}/${RUNS} done\r`);
}
process.stdout.write('\n');

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmt = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cell = (xs) => `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;

const header = ['workload', 'layer', 'form', 'm×k×n', 'Kiln wasm', 'Kiln JS', 'TF.js wasm', 'wasm/JS', 'wasm/TF.js'];
const rows = shapes.map((shape, i) => {
  const r = rates[i];
  return [
    shape[0], shape[1], shape[2], `${shape[3]}×${shape[4]}×${shape[5]}`,
    cell(r.wasm), cell(r.js), cell(r['tfjs-wasm']),
    `${(median(r.wasm) / median(r.js)).toFixed(1)}×`, `${(median(r.wasm) / median(r['tfjs-wasm'])).toFixed(1)}×`,
  ];
});
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
const line = (cells) => `| ${cells.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
const wasmMedians = rates.map((r) => median(r.wasm));
console.log(`Kiln wasm medians: lowest ${fmt(Math.min(...wasmMedians))}, highest ${fmt(Math.max(...wasmMedians))} GFLOP/s over ${shapes.length} shapes`);
const ceiling = median(ceilings);
console.log(`f32x4 multiply-and-add ceiling of one thread (registers only, no FMA; bench/lib/simd-ceiling.mjs): ${cell(ceilings)} GFLOP/s;`);
console.log(`  Kiln's highest median is ${((100 * Math.max(...wasmMedians)) / ceiling).toFixed(0)} % of it`);
console.log(`load average at end: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
if (disagreements.length) console.log(`WARNING: results disagree beyond 1e-4:\n  ${disagreements.join('\n  ')}`);
