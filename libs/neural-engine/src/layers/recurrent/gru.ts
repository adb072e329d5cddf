import { z } from 'zod';
import { type Activation, activationSchema, getActivation } from '../../activations/index.js';
import type { Backend } from '../../backend/backend.js';
import { parseConfig } from '../../config.js';
import type { Shape, Tensor } from '../../tensor.js';
import type { LayerConfig } from '../layer.js';
import { sliceColumns, writeColumns } from './columns.js';
import { type CellGradients, type CellStep, RecurrentLayer } from './recurrent-layer.js';
import { DEFAULT_RECURRENT_ACTIVATION, recurrentBaseSchema } from './rnn-schema.js';

/** Strict config schema of the Keras `GRU` layer. */
export const gruSchema = recurrentBaseSchema.extend({
  type: z.literal('GRU'),
  /** Activation of the update and reset gates (default sigmoid); null is linear. */
  recurrentActivation: activationSchema.nullable().optional(),
  /** Apply the reset gate after the recurrent product, with a separate recurrent bias (Keras 3 default true). */
  resetAfter: z.boolean().optional(),
}).strict();
/** Arguments of `GRU` as written in a model definition. */
export type GRUConfig = z.input<typeof gruSchema>;

interface GRUCache {
  hPrev: Tensor;
  /** Previous h after recurrent dropout: one for every gate, or z, r, h each its own (see recurrentProduct). */
  hds: readonly Tensor[];
  /** hds·recurrent_kernel (+ recurrent bias with resetAfter), [batch, 3·units]; without resetAfter only z, r are used. */
  inner: Tensor;
  preZ: Tensor;
  preR: Tensor;
  z: Tensor;
  r: Tensor;
  /** resetAfter: the recurrent h block; otherwise r·hd (hd: the h gate's dropped previous h). */
  hBlock: Tensor;
  preH: Tensor;
  hh: Tensor;
}

/**
 * Keras `GRU` (Cho et al. 2014), gate order z, r, h in kernel [in, 3·units] and recurrent_kernel [units, 3·units]:
 * z, r = recurrentActivation(x·W + h·U + b), candidate hh = activation(x·W_h + r·(h·U_h + b_rh)) with resetAfter
 * (bias [2, 3·units]: input row, recurrent row) or activation(x·W_h + (r·h)·U_h + b_h) without (bias [3·units]);
 * h_t = z·h_{t-1} + (1 - z)·hh.
 */
export class GRU extends RecurrentLayer<GRUCache> {
  readonly className = 'GRU';
  protected readonly gateCount = 3;
  protected readonly stateCount = 1;
  /** Activation of the gates. */
  readonly recurrentActivation: Activation;
  /** Whether the reset gate applies after the recurrent product (Keras 3 default). */
  readonly resetAfter: boolean;
  /** recurrent_kernel[:, 2u:3u], copied once per forward when resetAfter is false. */
  private kernelH: Tensor | null = null;
  /** The recurrent bias (row 1 of bias [2, 3·units]), copied once per forward when resetAfter. */
  private recurrentBias: Tensor | null = null;

  constructor(config: Omit<GRUConfig, 'type'>) {
    const parsed = parseConfig(gruSchema, { ...config, type: 'GRU' });
    super(parsed);
    const ra = parsed.recurrentActivation;
    this.recurrentActivation = getActivation(ra === undefined ? DEFAULT_RECURRENT_ACTIVATION : (ra ?? 'linear'));
    this.resetAfter = parsed.resetAfter ?? true;
  }

  protected override biasShape(): Shape {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  override forwardAll(x: Tensor, training: boolean): Tensor[] {
    // The weights are fixed during a call, so the h block of the recurrent kernel is copied once.
    this.kernelH = this.resetAfter ? null : sliceColumns(this.backend, this.recurrentKernel.value, 2 * this.units, this.units);
    const width = 3 * this.units;
    this.recurrentBias = this.resetAfter && this.bias ? this.backend.fromValues([width], this.bias.value.data.subarray(width, 2 * width)) : null;
    return super.forwardAll(x, training);
  }

  protected cellStep(xz: Tensor, hds: readonly Tensor[], prev: readonly Tensor[]): CellStep<GRUCache> {
    const b = this.backend;
    const u = this.units;
    const hPrev = prev[0]!;
    const hd = hds[hds.length - 1]!; // the h gate's
    const inner = this.recurrentProduct(hds);
    // A row op rather than a per-element callback: the same f32 sums (an f64 sum of two f32 rounds to the f32 one).
    if (this.recurrentBias) b.addRowVector(inner, this.recurrentBias, inner);
    const zx = sliceColumns(b, xz, 0, u);
    const rx = sliceColumns(b, xz, u, u);
    const hx = sliceColumns(b, xz, 2 * u, u);
    const preZ = b.add(zx, sliceColumns(b, inner, 0, u));
    const preR = b.add(rx, sliceColumns(b, inner, u, u));
    const z = this.recurrentActivation.apply(preZ, b);
    const r = this.recurrentActivation.apply(preR, b);
    let hBlock: Tensor;
    let preH: Tensor;
    if (this.resetAfter) {
      hBlock = sliceColumns(b, inner, 2 * u, u);
      preH = b.add(hx, b.multiply(r, hBlock));
    } else {
      hBlock = b.multiply(r, hd);
      preH = b.matmul(hBlock, this.kernelH!);
      b.addInPlace(preH, hx);
    }
    const hh = this.activation.apply(preH, b);
    const h = blend(b, z, hPrev, hh);
    return { states: [h], cache: { hPrev, hds, inner, preZ, preR, z, r, hBlock, preH, hh } };
  }

  protected cellBackward(c: GRUCache, dStates: readonly Tensor[]): CellGradients {
    const b = this.backend;
    const u = this.units;
    const dh = dStates[0]!;
    const [dzAct, dhh, dPrev] = blendBackward(b, dh, c.z, c.hPrev, c.hh);
    const dPreH = this.activation.gradient(c.preH, c.hh, dhh, b);
    const batch = dh.shape[0]!;
    const dInner = b.zeros([batch, 3 * u]);
    const dxz = b.zeros([batch, 3 * u]);
    writeColumns(dxz, dPreH, 2 * u, true);
    let drAct: Tensor;
    let dhd: Tensor | null = null;
    const hd = c.hds[c.hds.length - 1]!;
    if (this.resetAfter) {
      drAct = b.multiply(dPreH, c.hBlock);
      writeColumns(dInner, b.multiply(dPreH, c.r), 2 * u, true);
    } else {
      // preH = (r·hd)·U_h + x_h: its gradients reach U_h's columns, r and hd.
      const dU = b.matmul(c.hBlock, dPreH, { transposeA: true });
      writeColumns(this.recurrentKernel.grad, dU, 2 * u);
      const dRh = b.matmul(dPreH, this.kernelH!, { transposeB: true });
      drAct = b.multiply(dRh, hd);
      dhd = b.multiply(dRh, c.r);
    }
    const dPreZ = this.recurrentActivation.gradient(c.preZ, c.z, dzAct, b);
    const dPreR = this.recurrentActivation.gradient(c.preR, c.r, drAct, b);
    writeColumns(dInner, dPreZ, 0, true);
    writeColumns(dInner, dPreR, u, true);
    writeColumns(dxz, dPreZ, 0, true);
    writeColumns(dxz, dPreR, u, true);
    // Without resetAfter the h block of dInner is zero, so the products add nothing to U_h or hd from it.
    const dhds = this.recurrentProductBackward(c.hds, dInner);
    if (dhd) b.addInPlace(dhds[dhds.length - 1]!, dhd);
    if (this.resetAfter && this.bias) {
      const g = this.bias.grad.data;
      const sums = b.sumRows(dInner).data;
      for (let i = 0; i < 3 * u; i++) g[3 * u + i]! += sums[i]!;
    }
    return { dxz, dhds, dPrev: [dPrev] };
  }

  getConfig(): LayerConfig {
    const { dropout, recurrentDropout, seed, returnSequences, returnState, goBackwards, stateful, unroll, ...cell } = this.recurrentConfig();
    return {
      ...cell,
      recurrentActivation: this.recurrentActivation.getConfig(),
      dropout, recurrentDropout, seed, returnSequences, returnState, goBackwards, stateful, unroll,
      resetAfter: this.resetAfter,
    };
  }
}

/*
 * The two element-wise steps of the cell that no backend op computes: each element in float64, rounded once where it
 * is stored, as backend.map would, but in loops of their own. map's per-element callback is shared by every layer, so
 * V8 cannot inline it: ~12 ns an element, most of a GRU's step time before these loops.
 */

/** h = z·hPrev + (1 - z)·hh. */
function blend(b: Backend, z: Tensor, hPrev: Tensor, hh: Tensor): Tensor {
  const h = b.zeros(hPrev.shape);
  const [o, zd, p, hd] = [h.data, z.data, hPrev.data, hh.data];
  for (let i = 0; i < o.length; i++) o[i] = zd[i]! * p[i]! + (1 - zd[i]!) * hd[i]!;
  return h;
}

/** From dL/dh: dL/dz = dh·(hPrev - hh), dL/dhh = dh·(1 - z) and dL/dhPrev (through z·hPrev) = dh·z. */
function blendBackward(b: Backend, dh: Tensor, z: Tensor, hPrev: Tensor, hh: Tensor): [Tensor, Tensor, Tensor] {
  const [dz, dhh, dPrev] = [b.zeros(dh.shape), b.zeros(dh.shape), b.zeros(dh.shape)];
  const [g, zd, p, hd] = [dh.data, z.data, hPrev.data, hh.data];
  const [oz, oh, op] = [dz.data, dhh.data, dPrev.data];
  for (let i = 0; i < g.length; i++) {
    oz[i] = g[i]! * (p[i]! - hd[i]!);
    oh[i] = g[i]! * (1 - zd[i]!);
    op[i] = g[i]! * zd[i]!;
  }
  return [dz, dhh, dPrev];
}
