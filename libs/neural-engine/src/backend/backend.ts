import type { ActivationKernel } from '../kernels/activations.js';
import type { LstmKinds, LstmStepTensors } from '../kernels/lstm-cell.js';
import type { OptimizerRule, Slots, UpdateCoefficients } from '../kernels/optimizer-updates.js';
import type { ChannelRange, WindowGeometry } from '../kernels/window-geometry.js';
import type { Rng } from '../rng.js';
import type { FloatArray, Shape, Tensor } from '../tensor.js';

export type { ChannelRange, WindowGeometry } from '../kernels/window-geometry.js';
export type { ActivationKernel } from '../kernels/activations.js';
export type { AdamCoefficients, OptimizerRule, Slots, UpdateCoefficients } from '../kernels/optimizer-updates.js';
export type { LstmKinds, LstmStepTensors } from '../kernels/lstm-cell.js';

/** What a Backend.step runs: each kind has its own memory plans (their tensors differ). */
export type StepKind = 'train' | 'test' | 'predict';

/** How Backend.lstmSequence walks the sequence and what it keeps. */
export interface LstmSequenceOptions {
  /** Steps from last to first (Keras go_backwards); the returned sequence is in that order. */
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  /** Keep what lstmSequenceBackward needs (training). Only for sigmoid and tanh, whose slopes read only outputs. */
  readonly record?: boolean;
}

/** What Backend.lstmSequence returns: the last states, every step's h when asked, and the record for training. */
export interface LstmSequenceResult<T> {
  readonly sequence: T | null;
  readonly h: T;
  readonly c: T;
  readonly record: LstmSequenceRecord<T> | null;
}

/** What an LSTM's forward pass keeps for its backward pass, per row and step t (in time order). */
export interface LstmSequenceRecord<T> {
  /** [batch, steps, 7·units]: the step's gates (4·units), cPrev, c, cellOut. */
  readonly steps: T;
  /** [batch, steps, units]: the h each step started from (for the recurrent kernel's gradient, hPrevᵀ·dxz). */
  readonly hPrev: T;
}

/** dL/d(input projections) [batch, steps, 4·units] and dL/d(initial states) of Backend.lstmSequenceBackward. */
export interface LstmSequenceGradients<T> {
  readonly dxz: T;
  readonly dh: T;
  readonly dc: T;
}

/**
 * Options of Backend.matmul: which operand is transposed (both at once is not a form backprop needs), and whether the
 * product is added into `out`.
 */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Add the product into `out` (which must be given) instead of overwriting it: weight gradients accumulate. */
  accumulate?: boolean;
}

/**
 * The one interface between the engine and memory + math. Layers, losses, metrics and optimizers create tensors and
 * run heavy math only through it, so a later backend (WebAssembly SIMD over one shared memory, a worker pool) slots in
 * without touching them. Element-wise callbacks (`map`, `map2`) are for the long tail of ops; the hot ones have
 * dedicated methods a faster backend can replace.
 */
export interface Backend {
  readonly name: string;
  /** Storage type of every tensor this backend creates. */
  readonly dtype: 'float32' | 'float64';

  /** A new tensor filled with zeros. */
  zeros(shape: Shape): Tensor;
  /** A new tensor holding `values` (copied; length must match the shape). */
  fromValues(shape: Shape, values: ArrayLike<number>): Tensor;
  /** A copy of `t`. */
  clone(t: Tensor): Tensor;
  /** The same storage seen with another shape of the same size (no copy). */
  reshape(t: Tensor, shape: Shape): Tensor;
  /** Hands storage back to the backend; `t` must not be used afterwards. A no-op for garbage-collected backends. */
  release(t: Tensor): void;
  /**
   * Runs one step of `kind` (a training step, an evaluation or a prediction batch) on a batch of `batchSize`
   * samples. Tensors created inside live until it returns, except those created inside `lasting`: nothing made in a
   * step may be kept after it. A backend with its own memory plans it per kind and batch size: the first step records
   * what it allocates, and the next ones reuse the same memory and the same tensor objects, so a step allocates
   * nothing. Nested steps belong to the outer one.
   */
  step<T>(kind: StepKind, batchSize: number, fn: () => T): T;
  /**
   * Runs `fn` with the tensors it creates living until they are garbage: weights, their gradients, optimizer state,
   * even when created inside a step. A backend with its own memory places them there, so kernels read them in place.
   */
  lasting<T>(fn: () => T): T;

  /** out = op(a)·op(b) for rank-2 tensors. */
  matmul(a: Tensor, b: Tensor, options?: MatmulOptions, out?: Tensor): Tensor;
  /** out = x + v, v broadcast along the last axis (bias add). `out` may be `x`. */
  addRowVector(x: Tensor, v: Tensor, out?: Tensor): Tensor;
  /** Sum over every axis but the last: [..., n] → [n] (bias gradients). */
  sumRows(x: Tensor, out?: Tensor): Tensor;

  /** out[i] = f(x[i], i). `out` may be `x`. */
  map(x: Tensor, f: (v: number, i: number) => number, out?: Tensor): Tensor;
  /** out[i] = f(a[i], b[i], i) for tensors of equal size. `out` may be `a` or `b`. */
  map2(a: Tensor, b: Tensor, f: (a: number, b: number, i: number) => number, out?: Tensor): Tensor;
  /** out = f(x) for an activation with a dedicated kernel (relu, sigmoid, tanh). `out` may be `x`. */
  activation(kind: ActivationKernel, x: Tensor, out?: Tensor): Tensor;
  /** dL/dx = dy · f'(x) of that activation, given its input x and output y. `out` may be `dy`. */
  activationGradient(kind: ActivationKernel, x: Tensor, y: Tensor, dy: Tensor, out?: Tensor): Tensor;
  /**
   * One LSTM step fused (kernels/lstm-cell.ts), for z [batch, 4·units] = the step's pre-activations i|f|c|o and the
   * previous cell state: the gates, the new c, cell(c) and h.
   */
  lstmCell(kinds: LstmKinds, z: Tensor, cPrev: Tensor): LstmStepTensors<Tensor> & { h: Tensor };
  /** That step's backward pass from dL/dh and dL/dc: dL/dz and dL/dcPrev through the carry. */
  lstmCellBackward(kinds: LstmKinds, step: LstmStepTensors<Tensor>, dh: Tensor, dc: Tensor): { dz: Tensor; dcPrev: Tensor };
  /**
   * An LSTM layer's forward pass over a whole sequence, in inference: for each step t, z = h·recurrentKernel + xz[:, t]
   * then lstmCell. xz [batch, steps, 4·units] holds the input projections (bias included); h0 and c0 [batch, units] the
   * initial states. Returns the last h and c and, with `returnSequences`, every step's h [batch, steps, units] in loop
   * order. Bitwise equal to running those ops step by step.
   */
  lstmSequence(kinds: LstmKinds, xz: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor, options: LstmSequenceOptions): LstmSequenceResult<Tensor>;
  /**
   * Its backward pass over a record: from dL/d(output) `dOut` ([batch, steps, units] with returnSequences, else
   * [batch, units]) and dL/d(last states) dh, dc, every step's dz (into dxz) and dL/d(initial states), bitwise as the
   * step-by-step ops (lstmCellBackward, dz·recurrentKernelᵀ). The recurrent kernel's gradient is the caller's.
   */
  lstmSequenceBackward(
    kinds: LstmKinds, record: LstmSequenceRecord<Tensor>, recurrentKernel: Tensor, dOut: Tensor, dh: Tensor, dc: Tensor, options: LstmSequenceOptions,
  ): LstmSequenceGradients<Tensor>;
  /**
   * A dropout keep mask: each element `keep` (as stored: rounded to the backend's precision) where rng.uniform() ≥
   * rate, else 0, drawing in element order, so `rng` ends where that many uniform() calls leave it.
   */
  keepMask(shape: Shape, rate: number, keep: number, rng: Rng): Tensor;
  /**
   * Categorical crossentropy differentiated through the softmax that produced `probs`, in one pass
   * (kernels/softmax-crossentropy.ts): dL/dlogits for probs and labels [..., classes], labels smoothed by
   * `labelSmoothing`, row r scaled by rowScale[r] (one per row of classes).
   */
  softmaxCrossentropyBackward(probs: Tensor, labels: Tensor, labelSmoothing: number, rowScale: ArrayLike<number>): Tensor;
  /** out = a + b element-wise, for tensors of equal size. `out` may be `a` or `b`. */
  add(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  /** out = a · b element-wise, for tensors of equal size. `out` may be `a` or `b`. */
  multiply(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  /** target += x (gradient accumulation). */
  addInPlace(target: Tensor, x: Tensor): void;
  /** target += alpha · x. */
  axpyInPlace(target: Tensor, alpha: number, x: Tensor): void;
  /** out = x · s. */
  scale(x: Tensor, s: number, out?: Tensor): Tensor;
  /**
   * One optimizer step of `rule` on `value` in place from `grad`, its slots (in the rule's order, an optional one null)
   * updated in place: one fused pass (see kernels/optimizer-updates.ts).
   */
  optimizerUpdate<R extends OptimizerRule>(rule: R, value: Tensor, grad: Tensor, slots: Slots<Tensor>, c: UpdateCoefficients<R>): void;
  /** Sets every element to `value`. */
  fill(t: Tensor, value: number): void;
  /** Whether every value of x is finite (no NaN, no ±Infinity). */
  allFinite(x: Tensor): boolean;
  /** Σ x[i], accumulated in float64. */
  sum(x: Tensor): number;
  /** Σ x[i]², accumulated in float64 (norms for clipping and diagnostics). */
  sumSquares(x: Tensor): number;

  /**
   * Receptive fields of x [batch, inH, inW, channels] as rows: [batch·outH·outW, kH·kW·count], ordered [ki][kj][c]
   * over the channels `range` (all by default), zero outside the image. Convolution is then im2col · kernel.
   */
  im2col(x: Tensor, geometry: WindowGeometry, range?: ChannelRange, out?: Tensor): Tensor;
  /** The adjoint of im2col: adds every entry of cols [batch·outH·outW, kH·kW·count] into the element of dx it came from. */
  col2im(cols: Tensor, geometry: WindowGeometry, dx: Tensor, range?: ChannelRange): void;
  /**
   * The convolution y [batch·outH·outW, filters] = im2col(x) · kernel of x [batch, inH, inW, channels] with the kernel
   * seen as the matrix [kH·kW·channels, filters]. One op, so a backend can keep the im2col matrix to itself.
   */
  conv2d(x: Tensor, kernel: Tensor, geometry: WindowGeometry): Tensor;
  /**
   * The convolution's backward pass for dL/dy [batch·outH·outW, filters]: returns dL/dx, and adds dL/dkernel into
   * `kernelGrad` when given. Takes x, not its im2col matrix: a backend recomputes that (cheaper than keeping it).
   */
  conv2dBackward(x: Tensor, dy: Tensor, kernel: Tensor, geometry: WindowGeometry, kernelGrad: Tensor | null): Tensor;
  /**
   * Only the kernel-gradient half of conv2dBackward, with the same bits: adds dL/dkernel = im2col(x)ᵀ·dy into
   * `kernelGrad` [kH·kW·channels, filters]. For a layer whose dL/dx nobody needs (the first that learns in a model).
   */
  conv2dKernelGradient(x: Tensor, dy: Tensor, geometry: WindowGeometry, kernelGrad: Tensor): void;
  /** Max pooling of x [batch, inH, inW, c] per channel; `argmax` holds, per output, the flat index of its maximum in x. */
  maxPool(x: Tensor, geometry: WindowGeometry): { output: Tensor; argmax: Int32Array };
  /** dL/dx of max pooling: each output gradient goes to its argmax element. */
  maxPoolBackward(dy: Tensor, argmax: Int32Array, geometry: WindowGeometry): Tensor;
  /** Average pooling of x [batch, inH, inW, c] per channel over the real (non-padding) elements of each window. */
  avgPool(x: Tensor, geometry: WindowGeometry): Tensor;
  /** dL/dx of average pooling. */
  avgPoolBackward(dy: Tensor, geometry: WindowGeometry): Tensor;
}

/** A plain view of a tensor's storage for code that iterates itself (optimizer updates, losses, metrics). */
export function values(t: Tensor): FloatArray {
  return t.data;
}
