import { z } from 'zod';
import { parseConfig } from '../config.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import { broadcastIndex } from './broadcast.js';
import { inputShapeError, normalizeAxis } from './layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

export const softmaxSchema = baseLayerSchema.extend({
  type: z.literal('Softmax'),
  /** Axis (or axes) normalized over; counts the batch axis as 0, negative values count from the end (default -1). */
  axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
}).strict();
export type SoftmaxConfig = z.input<typeof softmaxSchema>;

/** Keras `Softmax`: exp(x) / Σ exp(x) over `axis` (one axis or several). Keras' optional mask is not supported. */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number | number[];
  private forwardOutput: Tensor | null = null;
  private groups: { shape: Shape; index: Int32Array; count: number } | null = null;

  constructor(config: Omit<SoftmaxConfig, 'type'> = {}) {
    const parsed = parseConfig(softmaxSchema, { ...config, type: 'Softmax' });
    super(parsed);
    this.axis = parsed.axis ?? -1;
  }

  computeOutputShape(inputShape: Shape): Shape {
    const rank = inputShape.length + 1;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    for (const a of axes) {
      if (normalizeAxis(a, rank) === undefined) {
        throw inputShapeError(this, `axis ${a} is out of range for an input of rank ${rank} (batch axis included)`, inputShape);
      }
    }
    return [...inputShape];
  }

  /** For each element, the index of its normalization group (the elements that share every non-softmax coordinate). */
  private groupsFor(shape: Shape): { index: Int32Array; count: number } {
    const cached = this.groups;
    if (cached && cached.shape.length === shape.length && cached.shape.every((d, k) => d === shape[k])) return cached;
    const reduced = [...shape];
    for (const a of Array.isArray(this.axis) ? this.axis : [this.axis]) reduced[normalizeAxis(a, shape.length)!] = 1;
    this.groups = { shape: [...shape], index: broadcastIndex(shape, reduced), count: shapeSize(reduced) };
    return this.groups;
  }

  forward(x: Tensor, training: boolean): Tensor {
    const { index, count } = this.groupsFor(x.shape);
    const max = new Float64Array(count).fill(-Infinity);
    const sum = new Float64Array(count);
    const xd = x.data;
    for (let i = 0; i < xd.length; i++) max[index[i]!] = Math.max(max[index[i]!]!, xd[i]!);
    // Subtracting each group's max keeps exp from overflowing; the result is unchanged.
    const y = this.backend.map(x, (v, i) => Math.exp(v - max[index[i]!]!));
    const yd = y.data;
    for (let i = 0; i < yd.length; i++) sum[index[i]!]! += yd[i]!;
    for (let i = 0; i < yd.length; i++) yd[i] = yd[i]! / sum[index[i]!]!;
    if (training) this.forwardOutput = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const y = this.forwardOutput;
    if (!y) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const { index, count } = this.groupsFor(y.shape);
    // dx = y ⊙ (dy - Σ_group dy·y): the softmax Jacobian applied without materializing it.
    const dot = new Float64Array(count);
    const yd = y.data;
    const gd = dy.data;
    for (let i = 0; i < yd.length; i++) dot[index[i]!]! += yd[i]! * gd[i]!;
    return this.backend.map2(y, dy, (v, g, i) => v * (g - dot[index[i]!]!));
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
