import { type Activation, type ActivationConfig, getActivation } from '../../activations/index.js';
import { getConstraint } from '../../constraints/index.js';
import { type Initializer, getInitializer } from '../../initializers/index.js';
import { getRegularizer } from '../../regularizers/index.js';
import { Rng } from '../../rng.js';
import { type Shape, type Tensor, formatShape } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer } from '../layer.js';
import type { Variable } from '../variable.js';
import { sliceColumns, stepOf, writeColumns, writeStep } from './columns.js';
import { DEFAULT_ACTIVATION, type RecurrentBaseOptions } from './rnn-schema.js';

/** What a cell step returns: the new states (h first) and whatever its backward needs. */
export interface CellStep<C> {
  states: Tensor[];
  cache: C;
}

/** Gradients of one cell step: w.r.t. the input projection, the (dropped) previous h, and the previous states directly. */
export interface CellGradients {
  /** dL/d(x·kernel + input bias) of this step, [batch, gates·units]. */
  dxz: Tensor;
  /** dL/d(previous h as seen by each recurrent projection, after recurrent dropout): one [batch, units] per `hds`. */
  dhds: Tensor[];
  /** dL/d(previous state k) through paths other than the recurrent projection (LSTM carry, GRU update blend); null = 0. */
  dPrev: (Tensor | null)[];
}

interface StepRecord<C> {
  /** Time index of the step (processing order is reversed with goBackwards). */
  t: number;
  cache: C;
}

/** Columns [start, start + width) of the projections that one input dropout mask feeds (all of them, or one gate). */
interface InputGroup {
  start: number;
  width: number;
  /** [batch, features] inverted-dropout mask, or null. */
  mask: Tensor | null;
  /** The input after the mask, [batch·steps, features]. */
  xd: Tensor;
  /** kernel[:, start:start + width] (the whole kernel for a single group). */
  kernel: Tensor;
}

interface ForwardRecord<C> {
  groups: InputGroup[];
  inputMask: Float32Array | Float64Array | null;
  recMasks: Tensor[] | null;
  /** Per step, when the cell ran step by step; empty when the whole sequence ran as one op (`whole`). */
  steps: StepRecord<C>[];
  /** What a whole-sequence forward kept for sequenceBackward, or null. */
  whole: unknown;
  stepCount: number;
  batch: number;
  features: number;
  outputs: Tensor[];
}

/** What sequenceForward returns: the output sequence (with returnSequences), the last states, and for training a record. */
export interface WholeSequence {
  sequence: Tensor | null;
  states: Tensor[];
  record: unknown;
}

/**
 * The sequence loop shared by SimpleRNN, LSTM and GRU (Keras `RNN` around a cell): input [batch, steps, features];
 * the input projection of every step is one matrix product, then the cell runs step by step; masked steps keep the
 * previous states (and repeat the previous output); backpropagation through time runs the cell's backward in reverse.
 * Subclasses define the cell: its gate count, state count, bias shape, one step and its backward.
 */
export abstract class RecurrentLayer<C = unknown> extends Layer {
  override supportsMasking = true;
  /** Dimensionality of the output and of each state. */
  readonly units: number;
  /** Activation of the candidate state and output. */
  readonly activation: Activation;
  /** Whether the output is every step's ([steps, units]) or the last one ([units]). */
  readonly returnSequences: boolean;
  /** Whether the final states are extra outputs. */
  readonly returnState: boolean;
  /** Whether the sequence is processed last step first (the output sequence is then reversed). */
  readonly goBackwards: boolean;
  /** Input dropout rate. */
  readonly dropout: number;
  /** Recurrent-state dropout rate. */
  readonly recurrentDropout: number;
  /** Seed of the layer's own dropout generator, or null for the model's. */
  readonly seed: number | null;
  /**
   * Output zeros (instead of the previous output) at masked steps: Keras's `zero_output_for_mask`, which Bidirectional
   * turns on for its two layers when they return sequences. Not a config argument.
   */
  zeroOutputForMask = false;
  protected kernel!: Variable;
  protected recurrentKernel!: Variable;
  protected bias: Variable | null = null;
  private record: ForwardRecord<C> | null = null;
  /** Gate blocks of recurrent_kernel, copied once per forward when each gate has its own recurrent dropout mask. */
  private recurrentBlocks: Tensor[] | null = null;
  private lastOutputs: Tensor[] | null = null;

  /** Gate blocks in the projections (SimpleRNN 1, LSTM 4, GRU 3). */
  protected abstract readonly gateCount: number;
  /** States carried between steps (LSTM: h and c; the others: h). */
  protected abstract readonly stateCount: number;

  constructor(protected readonly options: RecurrentBaseOptions) {
    super(options);
    this.units = options.units;
    // Absent means the Keras default (tanh); null means linear, as Keras's activation=None.
    this.activation = getActivation(options.activation === undefined ? DEFAULT_ACTIVATION : (options.activation ?? 'linear'));
    this.returnSequences = options.returnSequences ?? false;
    this.returnState = options.returnState ?? false;
    this.goBackwards = options.goBackwards ?? false;
    this.dropout = options.dropout ?? 0;
    this.recurrentDropout = options.recurrentDropout ?? 0;
    this.seed = options.seed ?? null;
    this.seededRng = this.seed === null ? null : new Rng(this.seed);
    this.activityRegularizer = options.activityRegularizer ? getRegularizer(options.activityRegularizer) : null;
  }

  /** Shape of `bias` (Keras: [gates·units]; GRU with resetAfter: [2, 3·units]). */
  protected biasShape(): Shape {
    return [this.gateCount * this.units];
  }

  /** Initializer of `bias` (LSTM overrides it for unitForgetBias). */
  protected biasInitializer(): Initializer {
    return getInitializer(this.options.biasInitializer ?? 'zeros');
  }

  /**
   * One step: `xz` = x_t·kernel + input bias; `hds` = previous h after recurrent dropout, one tensor shared by every
   * gate or one per gate (see recurrentProduct); `prev` = previous states.
   */
  protected abstract cellStep(xz: Tensor, hds: readonly Tensor[], prev: readonly Tensor[]): CellStep<C>;

  /** Backward of one step for dL/d(new states); adds the recurrent-kernel (and recurrent-bias) gradients. */
  protected abstract cellBackward(cache: C, dStates: readonly Tensor[]): CellGradients;

  /** Per-sample shape of the first output. */
  computeOutputShape(inputShape: Shape): Shape {
    return this.computeOutputShapes([inputShape])[0]!;
  }

  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const shape = inputShapes[0]!;
    if (inputShapes.length !== 1 || shape.length !== 2) {
      throw inputShapeError(this, 'expects one input of shape (batch, steps, features)', shape ?? []);
    }
    const out = this.returnSequences ? [shape[0]!, this.units] : [this.units];
    return this.returnState ? [out, ...Array.from({ length: this.stateCount }, () => [this.units])] : [out];
  }

  override computeOutputMask(): Tensor | null {
    return this.returnSequences ? this.inputMask : null;
  }

  protected override buildWeights(inputShape: Shape): void {
    const o = this.options;
    const width = this.gateCount * this.units;
    this.kernel = this.addWeight('kernel', [inputShape[inputShape.length - 1]!, width], {
      initializer: getInitializer(o.kernelInitializer ?? 'glorot_uniform'),
      regularizer: o.kernelRegularizer ? getRegularizer(o.kernelRegularizer) : null,
      constraint: o.kernelConstraint ? getConstraint(o.kernelConstraint) : null,
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], {
      initializer: getInitializer(o.recurrentInitializer ?? 'orthogonal'),
      regularizer: o.recurrentRegularizer ? getRegularizer(o.recurrentRegularizer) : null,
      constraint: o.recurrentConstraint ? getConstraint(o.recurrentConstraint) : null,
    });
    this.bias = o.useBias === false ? null : this.addWeight('bias', this.biasShape(), {
      initializer: this.biasInitializer(),
      regularizer: o.biasRegularizer ? getRegularizer(o.biasRegularizer) : null,
      constraint: o.biasConstraint ? getConstraint(o.biasConstraint) : null,
    });
  }

  forward(x: Tensor, training: boolean): Tensor {
    return this.forwardAll(x, training)[0]!;
  }

  backward(dy: Tensor): Tensor {
    return this.backwardAll([dy]);
  }

  override callMany(inputs: readonly Tensor[], training: boolean): Tensor[] {
    if (inputs.length !== 1) throw new Error(`layer ${this.name} (${this.className}) takes 1 input, received ${inputs.length}`);
    const ys = this.forwardAll(inputs[0]!, training);
    if (this.activityRegularizer) {
      // Keras applies the activity regularizer to every output of the call, states included.
      this.activityPenalty = ys.reduce((s, y) => s + this.activityRegularizer!.penalty(y, this.backend), 0);
      this.lastOutputs = training ? ys : null;
    }
    return ys;
  }

  override callBackwardMany(dys: readonly Tensor[]): Tensor[] {
    const outputs = this.lastOutputs;
    if (this.activityRegularizer && outputs) {
      const total = dys.map((d, k) => {
        const g = this.backend.clone(d);
        this.activityRegularizer!.accumulateGradient(outputs[k]!, g, this.backend);
        return g;
      });
      return [this.backwardAll(total)];
    }
    return [this.backwardAll(dys)];
  }

  /**
   * Dropout masks per sequence: Keras 3 LSTM and GRU switch to their per-gate implementation when recurrentDropout is
   * not 0, drawing one mask per gate (4 or 3) for the input and for the state; otherwise one mask serves every gate.
   */
  private get masksPerSequence(): number {
    return this.gateCount > 1 && this.recurrentDropout !== 0 ? this.gateCount : 1;
  }

  /** Backpropagation through time, step by step: dL/dxz [batch, steps, gates·units] from dL/d(outputs) and dL/d(last states). */
  private stepsBackward(r: ForwardRecord<C>, dOut: Tensor, dLast: Tensor[]): Tensor {
    const b = this.backend;
    const { batch } = r;
    const units = this.units;
    const steps = r.stepCount;
    const m = r.inputMask;
    let dStates = dLast;
    const dxz3 = b.zeros([batch, steps, this.gateCount * units]);
    for (let k = steps - 1; k >= 0; k--) {
      const { t, cache } = r.steps[k]!;
      let dOutK: Tensor | null = this.returnSequences ? stepOf(b, dOut, k) : k === steps - 1 ? dOut : null;
      if (dOutK && m && this.zeroOutputForMask) dOutK = b.map(dOutK, (g, i) => (m[Math.floor(i / units) * steps + t]! ? g : 0));
      if (dOutK) b.addInPlace(dStates[0]!, dOutK);
      // new state = m·cell(prev) + (1 - m)·prev: the cell sees the kept rows, the carried rows pass straight through.
      const keep = (i: number): boolean => m === null || m[Math.floor(i / units) * steps + t]! !== 0;
      const dCell = m ? dStates.map((d) => b.map(d, (g, i) => (keep(i) ? g : 0))) : dStates;
      const grads = this.cellBackward(cache, dCell);
      writeStep(dxz3, grads.dxz, t, true);
      const dhd = b.zeros([batch, units]);
      grads.dhds.forEach((d, k) => {
        const q = r.recMasks?.[k]?.data;
        if (q) b.map2(dhd, d, (acc, g, i) => acc + g * q[i]!, dhd);
        else b.addInPlace(dhd, d);
      });
      dStates = dStates.map((d, j) => {
        const next = m ? b.map(d, (g, i) => (keep(i) ? 0 : g)) : b.zeros([batch, units]);
        if (j === 0) b.addInPlace(next, dhd);
        const direct = grads.dPrev[j];
        if (direct) b.addInPlace(next, direct);
        return next;
      });
    }
    return dxz3;
  }

  /**
   * The whole sequence in one go, for cells that have such an op (no mask, no recurrent dropout): the output sequence
   * (with returnSequences) and the last states, from the input projections xz [batch, steps, gates·units] and the
   * initial states; in training also a record for sequenceBackward. Null runs the steps one by one.
   */
  protected sequenceForward(_xz: Tensor, _states: readonly Tensor[], _training: boolean): WholeSequence | null {
    return null;
  }

  /**
   * Backward of a whole-sequence forward: dL/dxz [batch, steps, gates·units] from dL/d(outputs) and the last states'
   * gradients, adding the recurrent kernel's gradient.
   */
  protected sequenceBackward(_record: unknown, _dOut: Tensor, _dStates: readonly Tensor[]): Tensor {
    throw new Error(`layer ${this.name}: no whole-sequence backward`);
  }

  /** hds·recurrent_kernel, [batch, gates·units]: one product, or one per gate block when each gate has its own hd. */
  protected recurrentProduct(hds: readonly Tensor[]): Tensor {
    const b = this.backend;
    if (hds.length === 1) return b.matmul(hds[0]!, this.recurrentKernel.value);
    const u = this.units;
    const out = b.zeros([hds[0]!.shape[0]!, this.gateCount * u]);
    hds.forEach((hd, k) => writeColumns(out, b.matmul(hd, this.recurrentBlocks![k]!), k * u, true));
    return out;
  }

  /** Backward of recurrentProduct for dL/d(product): adds dL/d(recurrent_kernel) and returns dL/d(each hd). */
  protected recurrentProductBackward(hds: readonly Tensor[], dProduct: Tensor): Tensor[] {
    const b = this.backend;
    const grad = this.recurrentKernel.grad;
    if (hds.length === 1) {
      b.addInPlace(grad, b.matmul(hds[0]!, dProduct, { transposeA: true }));
      return [b.matmul(dProduct, this.recurrentKernel.value, { transposeB: true })];
    }
    const u = this.units;
    return hds.map((hd, k) => {
      const d = sliceColumns(b, dProduct, k * u, u);
      writeColumns(grad, b.matmul(hd, d, { transposeA: true }), k * u);
      return b.matmul(d, this.recurrentBlocks![k]!, { transposeB: true });
    });
  }

  /** Draws a [rows, cols] inverted-dropout mask (kept units scaled by 1/(1 - rate)) from the layer's random source. */
  private dropoutMask(rows: number, cols: number, rate: number): Tensor {
    return this.backend.keepMask([rows, cols], rate, 1 / (1 - rate), this.random);
  }

  /** Every output: [the output (sequence or last step), ...final states when returnState]. */
  forwardAll(x: Tensor, training: boolean): Tensor[] {
    const b = this.backend;
    if (x.shape.length !== 3) throw inputShapeError(this, 'expects an input of shape (batch, steps, features)', x.shape.slice(1));
    const [batch, steps, features] = x.shape as [number, number, number];
    const units = this.units;
    const width = this.gateCount * units;
    const mask = this.inputMask;
    if (mask && (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps)) {
      throw new RangeError(`layer ${this.name}: mask shape ${formatShape(mask.shape, false)} does not match input ${formatShape(x.shape, false)}`);
    }
    // Keras applies dropout only for 0 < rate < 1, drawing the masks once per sequence (input masks first).
    const count = this.masksPerSequence;
    const draw = (rate: number, cols: number): Tensor[] | null =>
      training && rate > 0 && rate < 1 ? Array.from({ length: count }, () => this.dropoutMask(batch, cols, rate)) : null;
    const dpMasks = draw(this.dropout, features);
    const recMasks = draw(this.recurrentDropout, units);
    const u = units;
    this.recurrentBlocks = recMasks && count > 1 ? Array.from({ length: count }, (_, k) => sliceColumns(b, this.recurrentKernel.value, k * u, u)) : null;
    const x2 = b.reshape(x, [batch * steps, features]);
    // One group per input mask: the whole kernel, or (per-gate masks) each gate's block of it.
    const groups: InputGroup[] = (dpMasks && count > 1 ? dpMasks : [dpMasks?.[0] ?? null]).map((dropMask, k, all) => {
      const whole = all.length === 1;
      const xd = dropMask ? b.map(x2, (v, i) => v * dropMask.data[Math.floor(i / (steps * features)) * features + (i % features)]!) : x2;
      const kernel = whole ? this.kernel.value : sliceColumns(b, this.kernel.value, k * u, u);
      return { start: whole ? 0 : k * u, width: whole ? width : u, mask: dropMask, xd, kernel };
    });
    // Input projections of every step at once: [batch·steps, gates·units].
    let xz: Tensor;
    if (groups.length === 1) xz = b.matmul(groups[0]!.xd, groups[0]!.kernel);
    else {
      xz = b.zeros([batch * steps, width]);
      for (const g of groups) writeColumns(xz, b.matmul(g.xd, g.kernel), g.start, true);
    }
    if (this.bias) {
      // Its first gates·units values are the input bias (GRU resetAfter: row 0 of [2, gates·units]).
      const inputBias = this.bias.value.size === width ? this.bias.value : b.fromValues([width], this.bias.value.data.subarray(0, width));
      b.addRowVector(xz, inputBias, xz);
    }
    const xz3 = b.reshape(xz, [batch, steps, width]);
    let states = Array.from({ length: this.stateCount }, () => b.zeros([batch, units]));
    const whole = !mask && !recMasks ? this.sequenceForward(xz3, states, training) : null;
    if (whole) {
      const outputs = [whole.sequence ?? whole.states[0]!, ...(this.returnState ? whole.states : [])];
      this.record = training ? { groups, inputMask: null, recMasks: null, steps: [], whole: whole.record, stepCount: steps, batch, features, outputs } : null;
      return outputs;
    }
    const sequence = this.returnSequences ? b.zeros([batch, steps, units]) : null;
    let last = b.zeros([batch, units]);
    const records: StepRecord<C>[] = [];
    const m = mask?.data ?? null;
    for (let k = 0; k < steps; k++) {
      const t = this.goBackwards ? steps - 1 - k : k;
      const h = states[0]!;
      const hds = recMasks ? recMasks.map((q) => b.map2(h, q, (v, r) => v * r)) : [h];
      const step = this.cellStep(stepOf(b, xz3, t), hds, states);
      let next = step.states;
      let out = next[0]!;
      if (m) {
        // Masked samples keep their previous states; their output repeats the previous one (or is zero).
        next = next.map((s, j) => b.map2(s, states[j]!, (v, p, i) => (m[Math.floor(i / units) * steps + t]! ? v : p)));
        out = this.zeroOutputForMask ? b.map(next[0]!, (v, i) => (m[Math.floor(i / units) * steps + t]! ? v : 0)) : next[0]!;
      }
      if (sequence) writeStep(sequence, out, k, true);
      last = out;
      states = next;
      if (training) records.push({ t, cache: step.cache });
    }
    const outputs = [sequence ?? last, ...(this.returnState ? states : [])];
    this.record = training
      ? { groups, inputMask: m ? Float64Array.from(m) : null, recMasks, steps: records, whole: null, stepCount: steps, batch, features, outputs }
      : null;
    return outputs;
  }

  /** dL/dx from the gradients of the outputs (missing trailing ones are zero); accumulates every weight gradient. */
  backwardAll(dys: readonly Tensor[]): Tensor {
    const r = this.record;
    if (!r) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const b = this.backend;
    const { batch, features } = r;
    const units = this.units;
    const steps = r.stepCount;
    const width = this.gateCount * units;
    const dOut = dys[0]!;
    const dStates = Array.from({ length: this.stateCount }, (_, j) => {
      const given = this.returnState ? dys[1 + j] : undefined;
      return given ? b.clone(given) : b.zeros([batch, units]);
    });
    const dxz3 = r.whole ? this.sequenceBackward(r.whole, dOut, dStates) : this.stepsBackward(r, dOut, dStates);
    const dxz = b.reshape(dxz3, [batch * steps, width]);
    if (this.bias) {
      const g = this.bias.grad.data;
      const sums = b.sumRows(dxz).data;
      for (let i = 0; i < width; i++) g[i]! += sums[i]!;
    }
    const dx = b.zeros([batch * steps, features]);
    for (const group of r.groups) {
      const d = r.groups.length === 1 ? dxz : sliceColumns(b, dxz, group.start, group.width);
      writeColumns(this.kernel.grad, b.matmul(group.xd, d, { transposeA: true }), group.start);
      const dxg = b.matmul(d, group.kernel, { transposeB: true });
      const q = group.mask?.data;
      if (q) b.map2(dx, dxg, (acc, v, i) => acc + v * q[Math.floor(i / (steps * features)) * features + (i % features)]!, dx);
      else b.addInPlace(dx, dxg);
    }
    return b.reshape(dx, [batch, steps, features]);
  }

  /** Shared part of getConfig: every Keras argument, with its default filled in. */
  protected recurrentConfig(): LayerConfig {
    const o = this.options;
    const config: LayerConfig = {
      ...this.baseConfig(),
      units: this.units,
      activation: this.activation.getConfig() as ActivationConfig,
      useBias: o.useBias ?? true,
      kernelInitializer: o.kernelInitializer ?? 'glorot_uniform',
      recurrentInitializer: o.recurrentInitializer ?? 'orthogonal',
      biasInitializer: o.biasInitializer ?? 'zeros',
    };
    const optional = ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint'] as const;
    for (const key of optional) if (o[key]) config[key] = o[key];
    return {
      ...config,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: o.unroll ?? false,
    };
  }
}
