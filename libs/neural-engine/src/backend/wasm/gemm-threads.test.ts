import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { WasmKernels } from './wasm-kernels.js';

// Plain JavaScript (the worker does not go through vitest's TypeScript transform): instantiate the module passed in
// workerData over the shared memory and compute the rows it is given with its own scratch.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, call } = workerData;
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
exports.gemm(...call);
parentPort.postMessage('done');
`;

function runWorker(module: unknown, memory: unknown, call: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { module, memory, call } });
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });
}

describe('wasm gemm across worker_threads', () => {
  it('rows split between this thread and a worker over the same memory are bitwise equal to one call', async () => {
    const kernels = WasmKernels.create({ initialBytes: 2 ** 22, maximumBytes: 2 ** 26 });
    const { arena } = kernels;
    const rng = new Rng(9);
    const [m, k, n] = [203, 300, 77];
    const a = arena.alloc(k * m); // stored [k, m]: the weight-gradient form
    const b = arena.alloc(k * n);
    for (const x of [a, b]) {
      const v = arena.view(x);
      for (let i = 0; i < v.length; i++) v[i] = rng.uniformRange(-1, 1);
    }
    const whole = arena.alloc(m * n);
    kernels.gemm(a, b, whole, m, k, n, { transposeA: true });

    const split = arena.alloc(m * n);
    const workerScratch = kernels.allocateScratch();
    const cut = 101; // not a multiple of the 4-row tile
    const call = [1, 0, a.ptr, b.ptr, split.ptr, m, k, n, cut, m, 0, workerScratch.ptr];
    const done = runWorker(kernels.module, kernels.memory, call);
    kernels.gemm(a, b, split, m, k, n, { transposeA: true, rowStart: 0, rowEnd: cut });
    await done;
    expect(Buffer.from(arena.view(split).slice().buffer).equals(Buffer.from(arena.view(whole).slice().buffer))).toBe(true);
  });
});
