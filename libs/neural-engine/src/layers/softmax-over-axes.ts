import type { Activation as ActivationFunction, ActivationConfig } from '../activations/activation.js';
import type { Backend } from '../backend/backend.js';
import { type Shape, type Tensor, shapeSize, shapesEqual } from '../tensor.js';
import { broadcastIndex } from './broadcast.js';
import { normalizeAxis } from './layer-errors.js';

/**
 * Softmax normalized jointly over several axes (Keras `Softmax(axis=(1, 2))`: exp(x - logsumexp(x, axes))), which the
 * single-axis `softmax` activation does not cover. Elements sharing every other coordinate form one group.
 */
export class SoftmaxOverAxes implements ActivationFunction {
  readonly name = 'softmax';
  private groups: { shape: Shape; index: Int32Array; count: number } | null = null;

  constructor(readonly axes: readonly number[]) {}

  /** For each element, the index of its group, for a full (batched) shape; cached per shape. */
  private groupsFor(shape: Shape): { index: Int32Array; count: number } {
    if (this.groups && shapesEqual(this.groups.shape, shape)) return this.groups;
    const reduced = [...shape];
    for (const a of this.axes) reduced[normalizeAxis(a, shape.length)!] = 1;
    this.groups = { shape: [...shape], index: broadcastIndex(shape, reduced), count: shapeSize(reduced) };
    return this.groups;
  }

  apply(x: Tensor, backend: Backend): Tensor {
    const { index, count } = this.groupsFor(x.shape);
    const max = new Float64Array(count).fill(-Infinity);
    const sum = new Float64Array(count);
    const xd = x.data;
    for (let i = 0; i < xd.length; i++) max[index[i]!] = Math.max(max[index[i]!]!, xd[i]!);
    // Subtracting each group's max keeps exp from overflowing; the result is unchanged.
    const y = backend.map(x, (v, i) => Math.exp(v - max[index[i]!]!));
    const yd = y.data;
    for (let i = 0; i < yd.length; i++) sum[index[i]!]! += yd[i]!;
    for (let i = 0; i < yd.length; i++) yd[i] = yd[i]! / sum[index[i]!]!;
    return y;
  }

  /** dx = y ⊙ (dy - Σ_group dy·y): the softmax Jacobian applied without materializing it. */
  gradient(_x: Tensor, y: Tensor, dy: Tensor, backend: Backend): Tensor {
    const { index, count } = this.groupsFor(y.shape);
    const dot = new Float64Array(count);
    const yd = y.data;
    const gd = dy.data;
    for (let i = 0; i < yd.length; i++) dot[index[i]!]! += yd[i]! * gd[i]!;
    return backend.map2(y, dy, (v, g, i) => v * (g - dot[index[i]!]!));
  }

  getConfig(): ActivationConfig {
    return 'softmax';
  }
}
