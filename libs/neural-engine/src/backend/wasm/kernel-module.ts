import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type WasmMemory, type WasmModule, webAssembly } from './webassembly.js';

/*
 * The compiled kernels (libs/neural-engine/wasm/kernels.wasm, built by scripts/build-wasm.mjs from assembly/). This
 * file sits three levels below the package root both as source (src/backend/wasm/) and as build output
 * (dist/backend/wasm/), so one relative URL finds the .wasm under vitest and under Node alike.
 */

const WASM_URL = new URL('../../../wasm/kernels.wasm', import.meta.url);

/** What the module exports; pointers and sizes are byte offsets / counts in the shared memory. */
export interface KernelExports {
  gemm(
    transA: number, transB: number,
    a: number, b: number, c: number,
    m: number, k: number, n: number,
    rowStart: number, rowEnd: number,
    accumulate: number, scratch: number,
  ): void;
  gemmScratchBytes(): number;
  heapBase(): number;
  im2col(x: number, cols: number, geometry: number, start: number, count: number, rowStart: number, rowEnd: number): void;
  col2im(cols: number, dx: number, geometry: number, start: number, count: number, rowStart: number, rowEnd: number): void;
  maxPool(x: number, y: number, argmax: number, geometry: number, rowStart: number, rowEnd: number): void;
  maxPoolBackward(dy: number, argmax: number, dx: number, geometry: number, rowStart: number, rowEnd: number): void;
  avgPool(x: number, y: number, geometry: number, rowStart: number, rowEnd: number): void;
  avgPoolBackward(dy: number, dx: number, geometry: number, rowStart: number, rowEnd: number): void;
  addRowVector(x: number, v: number, out: number, cols: number, rowStart: number, rowEnd: number): void;
  sumRows(x: number, out: number, rows: number, cols: number, colStart: number, colEnd: number): void;
  axpy(target: number, alpha: number, x: number, start: number, end: number): void;
  scale(x: number, s: number, out: number, start: number, end: number): void;
  fill(x: number, value: number, start: number, end: number): void;
  elementwise(op: number, a: number, b: number, out: number, start: number, end: number): void;
  keepMask(state: number, mask: number, n: number, rate: number, keep: number): void;
  reluForward(x: number, y: number, start: number, end: number): void;
  allFinite(x: number, n: number): number;
  softmaxCrossentropyBackward(
    probs: number, labels: number, rowScale: number, out: number, classes: number, labelSmoothing: number, rowStart: number, rowEnd: number,
  ): void;
  reluBackward(x: number, dy: number, dx: number, start: number, end: number): void;
  lstmForwardSigmoidTanh(
    z: number, cPrev: number, gates: number, c: number, cellOut: number, h: number,
    units: number, rowStart: number, rowEnd: number, scratch: number,
  ): void;
  lstmBackwardSigmoidTanh(
    gates: number, cPrev: number, cellOut: number, dh: number, dcNext: number, dz: number, dcPrev: number,
    units: number, rowStart: number, rowEnd: number,
  ): void;
  lstmSequenceSigmoidTanh(
    xz: number, recurrentKernel: number, h: number, c: number, seq: number, z: number, record: number, hPrev: number,
    batch: number, steps: number, units: number, goBackwards: number, rowStart: number, rowEnd: number, scratch: number,
  ): void;
  lstmSequenceBackwardSigmoidTanh(
    record: number, recurrentKernel: number, dOut: number, dh: number, dc: number, dxz: number, work: number,
    batch: number, steps: number, units: number, flags: number, rowStart: number, rowEnd: number, scratch: number,
  ): void;
  optimizerUpdate(
    rule: number, w: number, g: number, s0: number, s1: number, s2: number,
    c0: number, c1: number, c2: number, c3: number, c4: number, c5: number, c6: number, c7: number,
    start: number, end: number,
  ): void;
}

/** Absolute path of kernels.wasm. */
export function kernelsWasmPath(): string {
  return fileURLToPath(WASM_URL);
}

let compiled: WasmModule | undefined;

/** The compiled module, read and compiled once per thread; pass it to workers through workerData. */
export function kernelModule(): WasmModule {
  if (compiled) return compiled;
  const file = kernelsWasmPath();
  if (!existsSync(file)) {
    throw new Error(`WebAssembly kernels not built: ${file} is missing; run \`node scripts/build-wasm.mjs\` at the repository root`);
  }
  compiled = new webAssembly.Module(readFileSync(file));
  return compiled;
}

/** Instantiates the kernels over `memory` (shared, so every thread's instance sees the same tensors). */
export function instantiateKernels(module: WasmModule, memory: WasmMemory): KernelExports {
  const instance = new webAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
