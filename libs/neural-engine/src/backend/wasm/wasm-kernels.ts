import { FloatArena, type WasmF32 } from './float-arena.js';
import { type GemmOptions, gemm } from './gemm.js';
import { type KernelExports, instantiateKernels, kernelModule } from './kernel-module.js';
import { type SharedMemoryOptions, createSharedMemory } from './shared-memory.js';
import type { WasmMemory, WasmModule } from './webassembly.js';
import * as window from './window.js';
import * as rowKernels from './rows.js';
import * as optimizerKernels from './optimizers.js';
import * as activationKernels from './activations.js';
import * as lstmKernels from './lstm.js';
import * as randomKernels from './random.js';
import * as lossKernels from './softmax-crossentropy.js';
import * as finiteKernels from './finite.js';
import type { OptimizerRule, Slots, UpdateCoefficients } from '../../kernels/optimizer-updates.js';
import type { Rng } from '../../rng.js';
import type { ChannelRange, WindowGeometry } from '../../kernels/window-geometry.js';

/*
 * One thread's handle on the WebAssembly kernels: an instance of the module over the shared memory, plus the scratch
 * this thread's calls use. The owning thread (`WasmKernels.create`) also holds the arena that allocates tensors;
 * other threads (`WasmKernels.attach`, e.g. in a worker given module, memory and a scratch buffer through workerData)
 * only compute on pointers they are handed.
 */
export class WasmKernels {
  private constructor(
    readonly module: WasmModule,
    readonly memory: WasmMemory,
    readonly exports: KernelExports,
    /** This thread's gemm scratch. */
    readonly scratch: WasmF32,
    private readonly ownArena: FloatArena | undefined,
  ) {}

  /** A new shared memory, its arena (starting above the module's own data) and this thread's instance. */
  static create(options: SharedMemoryOptions & { module?: WasmModule } = {}): WasmKernels {
    const module = options.module ?? kernelModule();
    const memory = createSharedMemory(options);
    const exports = instantiateKernels(module, memory);
    const arena = new FloatArena(memory, exports.heapBase());
    const scratch = arena.alloc(exports.gemmScratchBytes() / 4);
    return new WasmKernels(module, memory, exports, scratch, arena);
  }

  /** Another thread's instance over an existing memory, computing with `scratch` (from `allocateScratch`). */
  static attach(module: WasmModule, memory: WasmMemory, scratch: WasmF32): WasmKernels {
    return new WasmKernels(module, memory, instantiateKernels(module, memory), scratch, undefined);
  }

  /** The same thread's handle calling `exports` instead (the pool's call recorder). */
  withExports(exports: KernelExports): WasmKernels {
    return new WasmKernels(this.module, this.memory, exports, this.scratch, this.ownArena);
  }

  /** The allocator of the shared memory; only on the thread that created it. */
  get arena(): FloatArena {
    if (!this.ownArena) throw new Error('this WasmKernels was attached to another thread\'s memory: allocate on the owning thread');
    return this.ownArena;
  }

  /** Scratch for one more concurrent thread's calls. */
  allocateScratch(): WasmF32 {
    return this.arena.alloc(this.exports.gemmScratchBytes() / 4);
  }

  /** C = op(A)·op(B) (or C += ...) over rows [rowStart, rowEnd) of C; see gemm.ts. */
  gemm(a: WasmF32, b: WasmF32, c: WasmF32, m: number, k: number, n: number, options?: GemmOptions): void {
    gemm(this.exports, this.memory, a, b, c, m, k, n, this.scratch, options);
  }

  /** Receptive fields of x as rows of cols; see window.ts. */
  im2col(x: WasmF32, cols: WasmF32, g: WindowGeometry, range?: ChannelRange, rows?: window.RowRange): void {
    window.im2col(this, x, cols, g, range, rows);
  }

  /** dx += the adjoint of im2col. */
  col2im(cols: WasmF32, dx: WasmF32, g: WindowGeometry, range?: ChannelRange, rows?: window.RowRange): void {
    window.col2im(this, cols, dx, g, range, rows);
  }

  /** Max pooling; `argmax` is an int32 buffer (allocated like a float one) of the output's size. */
  maxPool(x: WasmF32, y: WasmF32, argmax: WasmF32, g: WindowGeometry, rows?: window.RowRange): void {
    window.maxPool(this, x, y, argmax, g, rows);
  }

  /** Max pooling's input gradient (dx overwritten). */
  maxPoolBackward(dy: WasmF32, argmax: WasmF32, dx: WasmF32, g: WindowGeometry, rows?: window.RowRange): void {
    window.maxPoolBackward(this, dy, argmax, dx, g, rows);
  }

  /** Average pooling over the real elements of each window. */
  avgPool(x: WasmF32, y: WasmF32, g: WindowGeometry, rows?: window.RowRange): void {
    window.avgPool(this, x, y, g, rows);
  }

  /** out = x + v broadcast over the rows of x [rows, cols] (bias add). */
  addRowVector(x: WasmF32, v: WasmF32, out: WasmF32, rows: number, cols: number, range?: rowKernels.Range): void {
    rowKernels.addRowVector(this, x, v, out, rows, cols, range);
  }

  /** out[c] = Σ_r x[r, c] in float64 (bias gradient); `range` splits columns. */
  sumRows(x: WasmF32, out: WasmF32, rows: number, cols: number, range?: rowKernels.Range): void {
    rowKernels.sumRows(this, x, out, rows, cols, range);
  }

  /** target += alpha · x. */
  axpy(target: WasmF32, alpha: number, x: WasmF32, range?: rowKernels.Range): void {
    rowKernels.axpy(this, target, alpha, x, range);
  }

  /** out = a + b or a·b, element-wise. */
  elementwise(op: rowKernels.ElementwiseOp, a: WasmF32, b: WasmF32, out: WasmF32, range?: rowKernels.Range): void {
    rowKernels.elementwise(this, op, a, b, out, range);
  }

  /** x = value, every element in `range`. */
  fill(x: WasmF32, value: number, range?: rowKernels.Range): void {
    rowKernels.fill(this, x, value, range);
  }

  /** out = x · s. */
  scale(x: WasmF32, s: number, out: WasmF32, range?: rowKernels.Range): void {
    rowKernels.scale(this, x, s, out, range);
  }

  /** y = max(x, 0). */
  reluForward(x: WasmF32, y: WasmF32, range?: rowKernels.Range): void {
    activationKernels.reluForward(this, x, y, range);
  }

  /** dx = dy · (x > 0). */
  reluBackward(x: WasmF32, dy: WasmF32, dx: WasmF32, range?: rowKernels.Range): void {
    activationKernels.reluBackward(this, x, dy, dx, range);
  }

  /** Whether the first n floats of x are all finite (see assembly/finite.ts). */
  allFinite(x: WasmF32, n: number): boolean {
    return finiteKernels.allFinite(this, x, n);
  }

  /** dL/dlogits of categorical crossentropy on a softmax output (see assembly/softmax-crossentropy.ts). */
  softmaxCrossentropyBackward(
    probs: WasmF32, labels: WasmF32, rowScale: WasmF32, out: WasmF32, rows: number, classes: number, labelSmoothing: number, range?: rowKernels.Range,
  ): void {
    lossKernels.softmaxCrossentropyBackward(this, probs, labels, rowScale, out, rows, classes, labelSmoothing, range);
  }

  /** The forward LSTM step with sigmoid gates and a tanh cell, over every row (see assembly/lstm.ts). */
  lstmForwardSigmoidTanh(z: WasmF32, cPrev: WasmF32, gates: WasmF32, c: WasmF32, cellOut: WasmF32, h: WasmF32, rows: number, units: number): void {
    lstmKernels.lstmForwardSigmoidTanh(this, z, cPrev, gates, c, cellOut, h, rows, units, this.scratch);
  }

  /** A dropout keep mask drawn from `rng` (see assembly/random.ts); `state` is 4 words of scratch. */
  keepMask(rng: Rng, mask: WasmF32, n: number, rate: number, keep: number, state: WasmF32): void {
    randomKernels.keepMask(this, rng, mask, n, rate, keep, state);
  }

  /** The backward LSTM step with sigmoid gates and a tanh cell (see assembly/lstm.ts). */
  lstmBackwardSigmoidTanh(
    gates: WasmF32, cPrev: WasmF32, cellOut: WasmF32, dh: WasmF32, dcNext: WasmF32, dz: WasmF32, dcPrev: WasmF32, rows: number, units: number,
    range?: rowKernels.Range,
  ): void {
    lstmKernels.lstmBackwardSigmoidTanh(this, gates, cPrev, cellOut, dh, dcNext, dz, dcPrev, rows, units, range);
  }

  /** An LSTM layer's forward pass over every step, with sigmoid gates and a tanh cell (see assembly/lstm.ts). */
  lstmSequenceSigmoidTanh(
    xz: WasmF32, recurrentKernel: WasmF32, h: WasmF32, c: WasmF32, seq: WasmF32 | null, z: WasmF32,
    record: lstmKernels.RecordBuffers | null, dims: lstmKernels.SequenceDims,
  ): void {
    lstmKernels.lstmSequenceSigmoidTanh(this, xz, recurrentKernel, h, c, seq, z, record, dims, this.scratch);
  }

  /** Its backward pass over the record (see assembly/lstm.ts). */
  lstmSequenceBackwardSigmoidTanh(
    record: lstmKernels.RecordBuffers, recurrentKernel: WasmF32, dOut: WasmF32, dh: WasmF32, dc: WasmF32, dxz: WasmF32, work: WasmF32,
    dims: lstmKernels.SequenceDims & { returnSequences: boolean },
  ): void {
    lstmKernels.lstmSequenceBackwardSigmoidTanh(this, record, recurrentKernel, dOut, dh, dc, dxz, work, dims, this.scratch);
  }

  /** The fused update of w and its slots (in the rule's order, an optional one null) from the gradient g. */
  optimizerUpdate<R extends OptimizerRule>(rule: R, w: WasmF32, g: WasmF32, slots: Slots<WasmF32>, c: UpdateCoefficients<R>, range?: rowKernels.Range): void {
    optimizerKernels.optimizerUpdate(this, rule, w, g, slots, c, range);
  }

  /** Average pooling's input gradient (dx overwritten). */
  avgPoolBackward(dy: WasmF32, dx: WasmF32, g: WindowGeometry, rows?: window.RowRange): void {
    window.avgPoolBackward(this, dy, dx, g, rows);
  }
}
