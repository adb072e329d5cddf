import { type Activation, type ActivationConfig, getActivation } from '../../activations/index.js';
import { getConstraint } from '../../constraints/index.js';
import { type Initializer, getInitializer } from '../../initializers/index.js';
import { getRegularizer } from '../../regularizers/index.js';
import { Rng } from '../../rng.js';
import { type Shape, type Tensor, formatShape } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer } from '../layer.js';
import type { Variable } from '../variable.js';
import { stepOf, writeStep } from './columns.js';
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
  /** dL/d(previous h as seen by the recurrent projection, after recurrent dropout), [batch, units]. */
  dhd: Tensor;
  /** dL/d(previous state k) through paths other than the recurrent projection (LSTM carry, GRU update blend); null = 0. */
  dPrev: (Tensor | null)[];
}

interface StepRecord<C> {
  /** Time index of the step (processing order is reversed with goBackwards). */
  t: number;
  cache: C;
}

interface ForwardRecord<C> {
  xd: Tensor;
  inputMask: Float32Array | Float64Array | null;
  dpMask: Tensor | null;
  recMask: Tensor | null;
  steps: StepRecord<C>[];
  batch: number;
  features: number;
  outputs: Tensor[];
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

  /** One step: `xz` = x_t·kernel + input bias, `hd` = previous h after recurrent dropout, `prev` = previous states. */
  protected abstract cellStep(xz: Tensor, hd: Tensor, prev: readonly Tensor[]): CellStep<C>;

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

  /** Draws a [rows, cols] inverted-dropout mask (kept units scaled by 1/(1 - rate)) from the layer's random source. */
  private dropoutMask(rows: number, cols: number, rate: number): Tensor {
    const rng = this.random;
    const keep = 1 / (1 - rate);
    return this.backend.map(this.backend.zeros([rows, cols]), () => (rng.uniform() >= rate ? keep : 0));
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
    // Keras applies dropout only for 0 < rate < 1, drawing one mask per sequence (input mask first).
    const dpMask = training && this.dropout > 0 && this.dropout < 1 ? this.dropoutMask(batch, features, this.dropout) : null;
    const recMask = training && this.recurrentDropout > 0 && this.recurrentDropout < 1 ? this.dropoutMask(batch, units, this.recurrentDropout) : null;
    let xd = x;
    if (dpMask) {
      const m = dpMask.data;
      xd = b.map(x, (v, i) => v * m[Math.floor(i / (steps * features)) * features + (i % features)]!);
    }
    // Input projections of every step at once: [batch·steps, gates·units].
    const xz = b.matmul(b.reshape(xd, [batch * steps, features]), this.kernel.value);
    if (this.bias) {
      const bias = this.bias.value.data; // its first gates·units values are the input bias (GRU resetAfter: row 0)
      const z = xz.data;
      for (let i = 0; i < z.length; i++) z[i]! += bias[i % width]!;
    }
    const xz3 = b.reshape(xz, [batch, steps, width]);
    let states = Array.from({ length: this.stateCount }, () => b.zeros([batch, units]));
    const sequence = this.returnSequences ? b.zeros([batch, steps, units]) : null;
    let last = b.zeros([batch, units]);
    const records: StepRecord<C>[] = [];
    const m = mask?.data ?? null;
    for (let k = 0; k < steps; k++) {
      const t = this.goBackwards ? steps - 1 - k : k;
      const h = states[0]!;
      const hd = recMask ? b.map2(h, recMask, (v, r) => v * r) : h;
      const step = this.cellStep(stepOf(b, xz3, t), hd, states);
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
      ? { xd, inputMask: m ? Float64Array.from(m) : null, dpMask, recMask, steps: records, batch, features, outputs }
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
    const steps = r.steps.length;
    const width = this.gateCount * units;
    const m = r.inputMask;
    const dOut = dys[0]!;
    let dStates = Array.from({ length: this.stateCount }, (_, j) => {
      const given = this.returnState ? dys[1 + j] : undefined;
      return given ? b.clone(given) : b.zeros([batch, units]);
    });
    const dxz3 = b.zeros([batch, steps, width]);
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
      const dhd = r.recMask ? b.map2(grads.dhd, r.recMask, (g, q) => g * q) : grads.dhd;
      dStates = dStates.map((d, j) => {
        const next = m ? b.map(d, (g, i) => (keep(i) ? 0 : g)) : b.zeros([batch, units]);
        if (j === 0) b.addInPlace(next, dhd);
        const direct = grads.dPrev[j];
        if (direct) b.addInPlace(next, direct);
        return next;
      });
    }
    const dxz = b.reshape(dxz3, [batch * steps, width]);
    b.addInPlace(this.kernel.grad, b.matmul(b.reshape(r.xd, [batch * steps, features]), dxz, { transposeA: true }));
    if (this.bias) {
      const g = this.bias.grad.data;
      const sums = b.sumRows(dxz).data;
      for (let i = 0; i < width; i++) g[i]! += sums[i]!;
    }
    const dx = b.reshape(b.matmul(dxz, this.kernel.value, { transposeB: true }), [batch, steps, features]);
    if (r.dpMask) {
      const q = r.dpMask.data;
      b.map(dx, (g, i) => g * q[Math.floor(i / (steps * features)) * features + (i % features)]!, dx);
    }
    return dx;
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
