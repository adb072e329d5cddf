import { z } from 'zod';
import { type Activation, activationSchema, getActivation } from '../../activations/index.js';
import { parseConfig } from '../../config.js';
import type { Initializer } from '../../initializers/index.js';
import type { LstmKinds, LstmSequenceRecord, LstmStepTensors } from '../../backend/backend.js';
import { recordable } from '../../backend/lstm-sequence.js';
import type { Tensor } from '../../tensor.js';
import type { LayerConfig } from '../layer.js';
import { sliceColumns, writeColumns } from './columns.js';
import { type CellGradients, type CellStep, RecurrentLayer, type WholeSequence } from './recurrent-layer.js';
import { DEFAULT_RECURRENT_ACTIVATION, recurrentBaseSchema } from './rnn-schema.js';
import { UnitForgetBias } from './unit-forget-bias.js';

/** Strict config schema of the Keras `LSTM` layer. */
export const lstmSchema = recurrentBaseSchema.extend({
  type: z.literal('LSTM'),
  /** Activation of the input, forget and output gates (default sigmoid); null is linear. */
  recurrentActivation: activationSchema.nullable().optional(),
  /** Initialize the forget-gate bias to ones (default true). */
  unitForgetBias: z.boolean().optional(),
}).strict();
/** Arguments of `LSTM` as written in a model definition. */
export type LSTMConfig = z.input<typeof lstmSchema>;

/** A step's cache: the fused cell's tensors, or the unfused cell's (activations without a backend kernel). */
type LSTMCache = { hds: readonly Tensor[]; fused: LstmStepTensors<Tensor> } | UnfusedCache;

interface UnfusedCache {
  hds: readonly Tensor[];
  cPrev: Tensor;
  /** Pre-activations of the gates i, f, c, o. */
  pre: Tensor[];
  /** Activated gates i, f, g (candidate), o. */
  gates: Tensor[];
  c: Tensor;
  tanhC: Tensor;
}

/**
 * Keras `LSTM` (Hochreiter 1997), gate order i, f, c, o in kernel [in, 4·units], recurrent_kernel [units, 4·units],
 * bias [4·units]: i, f, o = recurrentActivation(·), g = activation(·), c_t = f·c_{t-1} + i·g, h_t = o·activation(c_t).
 */
export class LSTM extends RecurrentLayer<LSTMCache> {
  readonly className = 'LSTM';
  protected readonly gateCount = 4;
  protected readonly stateCount = 2;
  /** Activation of the gates. */
  readonly recurrentActivation: Activation;
  /** Whether the forget-gate bias starts at one. */
  readonly unitForgetBias: boolean;
  /** The activations' kernels when both have one: the step then runs fused (Backend.lstmCell). */
  private readonly fusedKinds: LstmKinds | null;

  constructor(config: Omit<LSTMConfig, 'type'>) {
    const parsed = parseConfig(lstmSchema, { ...config, type: 'LSTM' });
    super(parsed);
    const ra = parsed.recurrentActivation;
    this.recurrentActivation = getActivation(ra === undefined ? DEFAULT_RECURRENT_ACTIVATION : (ra ?? 'linear'));
    this.unitForgetBias = parsed.unitForgetBias ?? true;
    const [gate, cell] = [this.recurrentActivation.kernel, this.activation.kernel];
    this.fusedKinds = gate && cell ? { gate, cell } : null;
  }

  protected override biasInitializer(): Initializer {
    const base = super.biasInitializer();
    return this.unitForgetBias ? new UnitForgetBias(base, this.units) : base;
  }

  /**
   * With a fused cell the whole sequence is one backend op (Backend.lstmSequence) in inference, and in training too
   * when both activations are sigmoid or tanh (the record keeps outputs only, from which their slopes follow).
   */
  protected override sequenceForward(xz: Tensor, states: readonly Tensor[], training: boolean): WholeSequence | null {
    const kinds = this.fusedKinds;
    if (!kinds || (training && !recordable(kinds))) return null;
    const options = { goBackwards: this.goBackwards, returnSequences: this.returnSequences, record: training };
    const { sequence, h, c, record } = this.backend.lstmSequence(kinds, xz, this.recurrentKernel.value, states[0]!, states[1]!, options);
    return { sequence, states: [h, c], record };
  }

  /**
   * Backward of the whole-sequence forward (Backend.lstmSequenceBackward), then the recurrent kernel's gradient as one
   * product over every step, hPrevᵀ·dxz, rather than one per step.
   */
  protected override sequenceBackward(record: unknown, dOut: Tensor, dStates: readonly Tensor[]): Tensor {
    const b = this.backend;
    const r = record as LstmSequenceRecord<Tensor>;
    const options = { goBackwards: this.goBackwards, returnSequences: this.returnSequences };
    const { dxz } = b.lstmSequenceBackward(this.fusedKinds!, r, this.recurrentKernel.value, dOut, dStates[0]!, dStates[1]!, options);
    const [batch, steps, units] = r.hPrev.shape as [number, number, number];
    const rows = batch * steps;
    b.matmul(b.reshape(r.hPrev, [rows, units]), b.reshape(dxz, [rows, 4 * units]), { transposeA: true, accumulate: true }, this.recurrentKernel.grad);
    return dxz;
  }

  protected cellStep(xz: Tensor, hds: readonly Tensor[], prev: readonly Tensor[]): CellStep<LSTMCache> {
    const b = this.backend;
    const u = this.units;
    const z = this.recurrentProduct(hds);
    b.addInPlace(z, xz);
    if (this.fusedKinds) {
      const { h, ...fused } = b.lstmCell(this.fusedKinds, z, prev[1]!);
      return { states: [h, fused.c], cache: { hds, fused } };
    }
    const pre = [0, 1, 2, 3].map((k) => sliceColumns(b, z, k * u, u));
    const gates = pre.map((p, k) => (k === 2 ? this.activation : this.recurrentActivation).apply(p, b));
    const [i, f, g, o] = gates as [Tensor, Tensor, Tensor, Tensor];
    const cPrev = prev[1]!;
    const fd = f.data;
    const id = i.data;
    const gd = g.data;
    const c = b.map(cPrev, (cp, n) => fd[n]! * cp + id[n]! * gd[n]!);
    const tanhC = this.activation.apply(c, b);
    const h = b.multiply(o, tanhC);
    return { states: [h, c], cache: { hds, cPrev, pre, gates, c, tanhC } };
  }

  protected cellBackward(cache: LSTMCache, dStates: readonly Tensor[]): CellGradients {
    const b = this.backend;
    if ('fused' in cache) {
      const { dz, dcPrev } = b.lstmCellBackward(this.fusedKinds!, cache.fused, dStates[0]!, dStates[1]!);
      return { dxz: dz, dhds: this.recurrentProductBackward(cache.hds, dz), dPrev: [null, dcPrev] };
    }
    const u = this.units;
    const [i, f, g, o] = cache.gates as [Tensor, Tensor, Tensor, Tensor];
    const dh = dStates[0]!;
    const dO = b.multiply(dh, cache.tanhC);
    const dc = this.activation.gradient(cache.c, cache.tanhC, b.multiply(dh, o), b);
    b.addInPlace(dc, dStates[1]!);
    const dGates = [b.multiply(dc, g), b.multiply(dc, cache.cPrev), b.multiply(dc, i), dO];
    const dz = b.zeros([dh.shape[0]!, 4 * u]);
    dGates.forEach((dg, k) => {
      const act = k === 2 ? this.activation : this.recurrentActivation;
      writeColumns(dz, act.gradient(cache.pre[k]!, cache.gates[k]!, dg, b), k * u, true);
    });
    const dcPrev = b.multiply(dc, f);
    return { dxz: dz, dhds: this.recurrentProductBackward(cache.hds, dz), dPrev: [null, dcPrev] };
  }

  getConfig(): LayerConfig {
    const { dropout, recurrentDropout, seed, returnSequences, returnState, goBackwards, stateful, unroll, ...cell } = this.recurrentConfig();
    return {
      ...cell,
      recurrentActivation: this.recurrentActivation.getConfig(),
      unitForgetBias: this.unitForgetBias,
      dropout, recurrentDropout, seed, returnSequences, returnState, goBackwards, stateful, unroll,
    };
  }
}
