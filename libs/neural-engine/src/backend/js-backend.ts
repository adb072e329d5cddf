import { type ActivationKernel, activationBackward, activationForward } from '../kernels/activations.js';
import { col2im, im2col } from '../kernels/im2col.js';
import { type LstmKinds, type LstmStepTensors, lstmCellBackward, lstmCellForward } from '../kernels/lstm-cell.js';
import { type OptimizerRule, type Slots, type UpdateCoefficients, optimizerUpdate } from '../kernels/optimizer-updates.js';
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from '../kernels/pooling.js';
import type { ChannelRange, WindowGeometry } from '../kernels/window-geometry.js';
import { addRowVector, sumRows } from '../kernels/rows.js';
import { softmaxCrossentropyBackward } from '../kernels/softmax-crossentropy.js';
import { allFinite } from '../kernels/finite.js';
import type { Rng } from '../rng.js';
import { type FloatArray, type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';
import type {
  Backend, LstmSequenceGradients, LstmSequenceOptions, LstmSequenceRecord, LstmSequenceResult, MatmulOptions, StepKind,
} from './backend.js';
import { matmulDims } from './matmul-dims.js';
import { RECORD_OFFSETS, RECORD_WIDTH, SequenceRows, checkRecordedKinds, lstmRecordDims, lstmSequenceDims } from './lstm-sequence.js';
import { checkActivationGradient, checkLstmBackward, checkOptimizerUpdate, lstmDims, softmaxCrossentropyDims } from './op-checks.js';

/** A tensor over storage the backend handed out (a JS-heap array, or a view into a WebAssembly memory). */
export class JsTensor implements Tensor {
  readonly size: number;
  constructor(
    readonly shape: Shape,
    readonly data: FloatArray,
  ) {
    this.size = data.length;
  }
}

/** Plain TypeScript kernels on Float32Array (or Float64Array, for gradient checks): the reference backend. */
export class JsBackend implements Backend {
  readonly name: string;
  private readonly ArrayType: Float32ArrayConstructor | Float64ArrayConstructor;

  constructor(readonly dtype: 'float32' | 'float64' = 'float32') {
    this.name = `js-${dtype}`;
    this.ArrayType = dtype === 'float32' ? Float32Array : Float64Array;
  }

  zeros(shape: Shape): Tensor {
    checkShape(shape);
    return this.allocate(shape, true);
  }

  fromValues(shape: Shape, values: ArrayLike<number>): Tensor {
    checkShape(shape);
    const size = shapeSize(shape);
    if (values.length !== size) {
      throw new RangeError(`shape ${formatShape(shape, false)} needs ${size} values, received ${values.length}`);
    }
    const t = this.allocate(shape, false);
    t.data.set(values);
    return t;
  }

  clone(t: Tensor): Tensor {
    const copy = this.allocate(t.shape, false);
    copy.data.set(t.data);
    return copy;
  }

  /** Neither has a scope: every tensor lives until it is garbage. */
  step<T>(_kind: StepKind, _batchSize: number, fn: () => T): T {
    return fn();
  }

  lasting<T>(fn: () => T): T {
    return fn();
  }

  /**
   * Every new tensor comes from here: a fresh zero-filled array. A backend with its own memory overrides it; its
   * storage need not be zeroed unless `zeroed` is set.
   */
  protected allocate(shape: Shape, _zeroed: boolean): Tensor {
    return new JsTensor([...shape], new this.ArrayType(shapeSize(shape)));
  }

  reshape(t: Tensor, shape: Shape): Tensor {
    if (shapeSize(shape) !== t.size) {
      throw new RangeError(`cannot reshape ${formatShape(t.shape, false)} (${t.size} values) to ${formatShape(shape, false)}`);
    }
    return new JsTensor([...shape], t.data);
  }

  release(_t: Tensor): void {}

  matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}, out?: Tensor): Tensor {
    const { m, k, n } = matmulDims(a, b, options);
    if (options.accumulate) {
      const target = this.accumulationTarget(m, n, out);
      this.addInPlace(target, this.matmul(a, b, { transposeA: options.transposeA ?? false, transposeB: options.transposeB ?? false }));
      return target;
    }
    const c = out ?? this.zeros([m, n]);
    if (options.transposeA) matmulTN(a.data, b.data, c.data, m, k, n);
    else if (options.transposeB) matmulNT(a.data, b.data, c.data, m, k, n);
    else matmulNN(a.data, b.data, c.data, m, k, n);
    return c;
  }

  addRowVector(x: Tensor, v: Tensor, out?: Tensor): Tensor {
    const cols = v.size;
    if (x.size % cols !== 0 || x.shape[x.shape.length - 1] !== cols) {
      throw new RangeError(`cannot add a vector of ${cols} to a tensor of shape ${formatShape(x.shape, false)}`);
    }
    const o = out ?? this.zeros(x.shape);
    addRowVector(x.data, v.data, o.data, cols, 0, x.size / cols);
    return o;
  }

  sumRows(x: Tensor, out?: Tensor): Tensor {
    const cols = x.shape[x.shape.length - 1] ?? 1;
    const o = out ?? this.zeros([cols]);
    sumRows(x.data, o.data, cols === 0 ? 0 : x.size / cols, cols);
    return o;
  }

  map(x: Tensor, f: (v: number, i: number) => number, out?: Tensor): Tensor {
    const o = out ?? this.zeros(x.shape);
    const xd = x.data;
    const od = o.data;
    for (let i = 0; i < xd.length; i++) od[i] = f(xd[i]!, i);
    return o;
  }

  map2(a: Tensor, b: Tensor, f: (a: number, b: number, i: number) => number, out?: Tensor): Tensor {
    if (a.size !== b.size) throw new RangeError(`element-wise op on tensors of different sizes: ${a.size} and ${b.size}`);
    const o = out ?? this.zeros(a.shape);
    const ad = a.data;
    const bd = b.data;
    const od = o.data;
    for (let i = 0; i < ad.length; i++) od[i] = f(ad[i]!, bd[i]!, i);
    return o;
  }

  activation(kind: ActivationKernel, x: Tensor, out?: Tensor): Tensor {
    const o = this.output(x.shape, out, kind, `the input ${x.size}`);
    activationForward(kind, x.data, o.data, 0, x.size);
    return o;
  }

  activationGradient(kind: ActivationKernel, x: Tensor, y: Tensor, dy: Tensor, out?: Tensor): Tensor {
    checkActivationGradient(kind, x, y, dy);
    const o = this.output(dy.shape, out, `${kind} gradient`, `dy ${dy.size}`);
    activationBackward(kind, x.data, y.data, dy.data, o.data, 0, dy.size);
    return o;
  }

  lstmCell(kinds: LstmKinds, z: Tensor, cPrev: Tensor): LstmStepTensors<Tensor> & { h: Tensor } {
    const [rows, units] = lstmDims(z, cPrev);
    const gates = this.zeros(z.shape);
    const [c, cellOut, h] = [this.zeros(cPrev.shape), this.zeros(cPrev.shape), this.zeros(cPrev.shape)];
    lstmCellForward(kinds, units, z.data, cPrev.data, gates.data, c.data, cellOut.data, h.data, 0, rows);
    return { z, gates, cPrev, c, cellOut, h };
  }

  lstmCellBackward(kinds: LstmKinds, step: LstmStepTensors<Tensor>, dh: Tensor, dc: Tensor): { dz: Tensor; dcPrev: Tensor } {
    const [rows, units] = checkLstmBackward(step, dh, dc);
    const dz = this.zeros(step.z.shape);
    const dcPrev = this.zeros(step.cPrev.shape);
    const { z, gates, cPrev, c, cellOut } = step;
    lstmCellBackward(kinds, units, z.data, gates.data, cPrev.data, c.data, cellOut.data, dh.data, dc.data, dz.data, dcPrev.data, 0, rows);
    return { dz, dcPrev };
  }

  /** The reference: the layer's own step-by-step ops (matmul, addInPlace, lstmCell), which the wasm kernel matches. */
  lstmSequence(kinds: LstmKinds, xz: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor, options: LstmSequenceOptions): LstmSequenceResult<Tensor> {
    const [batch, steps, units] = lstmSequenceDims(xz, recurrentKernel, h0, c0);
    if (options.record) checkRecordedKinds(kinds);
    const sequence = options.returnSequences ? this.zeros([batch, steps, units]) : null;
    const record = options.record ? { steps: this.zeros([batch, steps, RECORD_WIDTH * units]), hPrev: this.zeros([batch, steps, units]) } : null;
    const rows = new SequenceRows(batch, steps, units);
    const xt = this.zeros([batch, 4 * units]);
    let [h, c] = [this.clone(h0), this.clone(c0)];
    for (let k = 0; k < steps; k++) {
      const t = options.goBackwards ? steps - 1 - k : k;
      rows.gather(xz, t, 4, 0, xt);
      const z = this.matmul(h, recurrentKernel);
      this.addInPlace(z, xt);
      const step = this.lstmCell(kinds, z, c);
      if (record) {
        rows.scatter(h, record.hPrev, t, 1, 0);
        [step.gates, c, step.c, step.cellOut].forEach((part, i) => rows.scatter(part, record.steps, t, RECORD_WIDTH, RECORD_OFFSETS[i]!));
      }
      ({ h, c } = step);
      if (sequence) rows.scatter(h, sequence, k, 1, 0);
    }
    return { sequence, h, c, record };
  }

  /** The reference: the layer's step-by-step backward ops (lstmCellBackward, dz·recurrentKernelᵀ, sums from zeros). */
  lstmSequenceBackward(
    kinds: LstmKinds, record: LstmSequenceRecord<Tensor>, recurrentKernel: Tensor, dOut: Tensor, dhLast: Tensor, dcLast: Tensor, options: LstmSequenceOptions,
  ): LstmSequenceGradients<Tensor> {
    checkRecordedKinds(kinds);
    const [batch, steps, units] = lstmRecordDims(record, recurrentKernel, dOut, dhLast, dcLast, options.returnSequences);
    const rows = new SequenceRows(batch, steps, units);
    const dxz = this.zeros([batch, steps, 4 * units]);
    const dOutK = this.zeros([batch, units]);
    const [gates, cPrev, c, cellOut] = [this.zeros([batch, 4 * units]), ...[0, 1, 2].map(() => this.zeros([batch, units]))] as [Tensor, Tensor, Tensor, Tensor];
    let [dh, dc] = [this.clone(dhLast), this.clone(dcLast)];
    for (let k = steps - 1; k >= 0; k--) {
      const t = options.goBackwards ? steps - 1 - k : k;
      if (options.returnSequences) this.addInPlace(dh, rows.gather(dOut, k, 1, 0, dOutK));
      else if (k === steps - 1) this.addInPlace(dh, dOut);
      [gates, cPrev, c, cellOut].forEach((part, i) => rows.gather(record.steps, t, RECORD_WIDTH, RECORD_OFFSETS[i]!, part));
      // The sigmoid and tanh slopes read only the outputs, so the gates stand in for z.
      const { dz, dcPrev } = this.lstmCellBackward(kinds, { z: gates, gates, cPrev, c, cellOut }, dh, dc);
      rows.scatter(dz, dxz, t, 4, 0);
      const dhPrev = this.matmul(dz, recurrentKernel, { transposeB: true });
      [dh, dc] = [this.zeros([batch, units]), this.zeros([batch, units])];
      this.addInPlace(dh, dhPrev);
      this.addInPlace(dc, dcPrev);
    }
    return { dxz, dh, dc };
  }

  keepMask(shape: Shape, rate: number, keep: number, rng: Rng): Tensor {
    const mask = this.zeros(shape);
    const m = mask.data;
    for (let i = 0; i < m.length; i++) m[i] = rng.uniform() >= rate ? keep : 0;
    return mask;
  }

  softmaxCrossentropyBackward(probs: Tensor, labels: Tensor, labelSmoothing: number, rowScale: ArrayLike<number>): Tensor {
    const [rows, classes] = softmaxCrossentropyDims(probs, labels, rowScale);
    const out = this.allocate(probs.shape, false);
    softmaxCrossentropyBackward(probs.data, labels.data, classes, labelSmoothing, rowScale, out.data, 0, rows);
    return out;
  }

  add(a: Tensor, b: Tensor, out?: Tensor): Tensor {
    const o = this.binaryOutput('add', a, b, out);
    const [ad, bd, od] = [a.data, b.data, o.data];
    for (let i = 0; i < od.length; i++) od[i] = ad[i]! + bd[i]!;
    return o;
  }

  multiply(a: Tensor, b: Tensor, out?: Tensor): Tensor {
    const o = this.binaryOutput('multiply', a, b, out);
    const [ad, bd, od] = [a.data, b.data, o.data];
    for (let i = 0; i < od.length; i++) od[i] = ad[i]! * bd[i]!;
    return o;
  }

  /** The output of an element-wise op on a and b: `out` checked, or a new tensor shaped like a. */
  private binaryOutput(op: string, a: Tensor, b: Tensor, out: Tensor | undefined): Tensor {
    if (a.size !== b.size) throw new RangeError(`${op} of tensors of different sizes: ${a.size} and ${b.size}`);
    return this.output(a.shape, out, op, `the inputs ${a.size}`);
  }

  /** The tensor a product accumulates into: `out`, required, of m·n values. */
  protected accumulationTarget(m: number, n: number, out: Tensor | undefined): Tensor {
    if (!out) throw new RangeError(`matmul with accumulate needs out, the [${m}, ${n}] tensor to add the product into`);
    return this.output([m, n], out, 'matmul', `the product is [${m}, ${n}]`);
  }

  /**
   * An op's output: `out` when given, checked to hold as many values as `shape` (the error names the op and, in
   * `expected`, what the size should match), else a new tensor of `shape`.
   */
  protected output(shape: Shape, out: Tensor | undefined, op: string, expected: string): Tensor {
    if (!out) return this.zeros(shape);
    if (out.size !== shapeSize(shape)) throw new RangeError(`${op} output ${formatShape(out.shape, false)} holds ${out.size} values; ${expected}`);
    return out;
  }

  addInPlace(target: Tensor, x: Tensor): void {
    this.axpyInPlace(target, 1, x);
  }

  axpyInPlace(target: Tensor, alpha: number, x: Tensor): void {
    if (target.size !== x.size) throw new RangeError(`cannot accumulate ${x.size} values into ${target.size}`);
    const t = target.data;
    const xd = x.data;
    for (let i = 0; i < t.length; i++) t[i]! += alpha * xd[i]!;
  }

  scale(x: Tensor, s: number, out?: Tensor): Tensor {
    return this.map(x, (v) => v * s, out);
  }

  optimizerUpdate<R extends OptimizerRule>(rule: R, value: Tensor, grad: Tensor, slots: Slots<Tensor>, c: UpdateCoefficients<R>): void {
    checkOptimizerUpdate(rule, value, grad, slots);
    optimizerUpdate(rule, value.data, grad.data, slots.map((s) => s?.data), c, 0, value.size);
  }

  fill(t: Tensor, value: number): void {
    t.data.fill(value);
  }

  allFinite(x: Tensor): boolean {
    return allFinite(x.data);
  }

  sum(x: Tensor): number {
    let s = 0;
    const d = x.data;
    for (let i = 0; i < d.length; i++) s += d[i]!;
    return s;
  }

  sumSquares(x: Tensor): number {
    let s = 0;
    const d = x.data;
    for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
    return s;
  }

  im2col(x: Tensor, g: WindowGeometry, range?: ChannelRange, out?: Tensor): Tensor {
    checkWindowInput(x, g);
    const { start, count } = checkRange(range, g);
    const rows = g.batch * g.outH * g.outW;
    const cols = out ?? this.zeros([rows, g.kH * g.kW * count]);
    if (cols.size !== rows * g.kH * g.kW * count) throw new RangeError(`im2col output of ${cols.size} values, expected ${rows * g.kH * g.kW * count}`);
    im2col(x.data, cols.data, g, start, count);
    return cols;
  }

  col2im(cols: Tensor, g: WindowGeometry, dx: Tensor, range?: ChannelRange): void {
    checkWindowInput(dx, g);
    const { start, count } = checkRange(range, g);
    const expected = g.batch * g.outH * g.outW * g.kH * g.kW * count;
    if (cols.size !== expected) throw new RangeError(`col2im input of ${cols.size} values, expected ${expected}`);
    col2im(cols.data, dx.data, g, start, count);
  }

  conv2d(x: Tensor, kernel: Tensor, g: WindowGeometry): Tensor {
    const cols = this.im2col(x, g);
    const y = this.matmul(cols, kernel);
    this.release(cols);
    return y;
  }

  conv2dBackward(x: Tensor, dy: Tensor, kernel: Tensor, g: WindowGeometry, kernelGrad: Tensor | null): Tensor {
    if (kernelGrad) this.conv2dKernelGradient(x, dy, g, kernelGrad);
    const dcols = this.matmul(dy, kernel, { transposeB: true });
    const dx = this.zeros([g.batch, g.inH, g.inW, g.channels]);
    this.col2im(dcols, g, dx);
    this.release(dcols);
    return dx;
  }

  conv2dKernelGradient(x: Tensor, dy: Tensor, g: WindowGeometry, kernelGrad: Tensor): void {
    const cols = this.im2col(x, g);
    const dw = this.matmul(cols, dy, { transposeA: true });
    this.addInPlace(kernelGrad, dw);
    this.release(dw);
    this.release(cols);
  }

  maxPool(x: Tensor, g: WindowGeometry): { output: Tensor; argmax: Int32Array } {
    checkWindowInput(x, g);
    const output = this.zeros([g.batch, g.outH, g.outW, g.channels]);
    // Indices are integers, not tensor values: they stay a plain array a faster backend can mirror.
    const argmax = new Int32Array(output.size);
    maxPool(x.data, output.data, argmax, g);
    return { output, argmax };
  }

  maxPoolBackward(dy: Tensor, argmax: Int32Array, g: WindowGeometry): Tensor {
    checkWindowOutput(dy, g);
    const dx = this.zeros([g.batch, g.inH, g.inW, g.channels]);
    maxPoolBackward(dy.data, argmax, dx.data, g);
    return dx;
  }

  avgPool(x: Tensor, g: WindowGeometry): Tensor {
    checkWindowInput(x, g);
    const output = this.zeros([g.batch, g.outH, g.outW, g.channels]);
    avgPool(x.data, output.data, g);
    return output;
  }

  avgPoolBackward(dy: Tensor, g: WindowGeometry): Tensor {
    checkWindowOutput(dy, g);
    const dx = this.zeros([g.batch, g.inH, g.inW, g.channels]);
    avgPoolBackward(dy.data, dx.data, g);
    return dx;
  }
}

function checkWindowInput(x: Tensor, g: WindowGeometry): void {
  if (x.size !== g.batch * g.inH * g.inW * g.channels) {
    throw new RangeError(`window input ${formatShape(x.shape, false)} does not match [${g.batch}, ${g.inH}, ${g.inW}, ${g.channels}]`);
  }
}

function checkWindowOutput(y: Tensor, g: WindowGeometry): void {
  if (y.size !== g.batch * g.outH * g.outW * g.channels) {
    throw new RangeError(`window output ${formatShape(y.shape, false)} does not match [${g.batch}, ${g.outH}, ${g.outW}, ${g.channels}]`);
  }
}

function checkRange(range: ChannelRange | undefined, g: WindowGeometry): ChannelRange {
  const r = range ?? { start: 0, count: g.channels };
  if (r.start < 0 || r.count < 0 || r.start + r.count > g.channels) {
    throw new RangeError(`channel range [${r.start}, ${r.start + r.count}) outside ${g.channels} channels`);
  }
  return r;
}

function checkShape(shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid tensor shape ${formatShape(shape, false)}`);
  }
}
