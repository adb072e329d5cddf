import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { Activation, ActivationConfig } from './activation.js';
import { axisSchema, axisView } from './axis.js';
import { activationConfig, defineActivation } from './definition.js';

/**
 * Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of each slice onto the probability simplex,
 * p = max(z - τ, 0) with τ chosen so that Σ p = 1. Unlike softmax it reaches exact zeros.
 */
class Sparsemax implements Activation {
  readonly name = 'sparsemax';
  constructor(readonly axis: number) {}

  apply(x: Tensor, backend: Backend): Tensor {
    const { outer, length, inner } = axisView(x.shape, this.axis, this.name);
    const y = backend.zeros(x.shape);
    const xd = x.data;
    const yd = y.data;
    const sorted = new Float64Array(length); // scratch for one slice, not tensor storage
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        for (let k = 0; k < length; k++) sorted[k] = xd[base + k * inner]!;
        const tau = simplexThreshold(sorted);
        for (let k = 0; k < length; k++) yd[base + k * inner] = Math.max(xd[base + k * inner]! - tau, 0);
      }
    }
    return y;
  }

  /**
   * On the support S = {p > 0} the map is z ↦ z - τ(z) with τ the mean of z over S minus 1/|S|, so its Jacobian is
   * I - 11ᵀ/|S| there and 0 elsewhere: dx_i = dy_i - mean_S(dy) for i in S, 0 outside.
   */
  gradient(x: Tensor, y: Tensor, dy: Tensor, backend: Backend): Tensor {
    const { outer, length, inner } = axisView(x.shape, this.axis, this.name);
    const dx = backend.zeros(x.shape);
    const yd = y.data;
    const gd = dy.data;
    const dd = dx.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let sum = 0;
        let count = 0;
        for (let k = 0; k < length; k++) {
          const j = base + k * inner;
          if (yd[j]! > 0) {
            sum += gd[j]!;
            count++;
          }
        }
        const mean = count > 0 ? sum / count : 0;
        for (let k = 0; k < length; k++) {
          const j = base + k * inner;
          dd[j] = yd[j]! > 0 ? gd[j]! - mean : 0;
        }
      }
    }
    return dx;
  }

  getConfig(): ActivationConfig {
    return activationConfig(this.name, { axis: this.axis }, { axis: -1 });
  }
}

/**
 * τ of the simplex projection of z (sorted in place, descending): with cumulative sums c_k of the k largest values,
 * the support size is the largest k with 1 + k·z_(k) > c_k, and τ = (c_k - 1) / k.
 */
export function simplexThreshold(z: Float64Array): number {
  z.sort();
  z.reverse();
  let cumulative = 0;
  let supportSum = 0;
  let support = 0;
  for (let k = 1; k <= z.length; k++) {
    const v = z[k - 1]!;
    cumulative += v;
    if (1 + k * v > cumulative) {
      support = k;
      supportSum = cumulative;
    }
  }
  return (supportSum - 1) / support;
}

/** Keras `sparsemax(x, axis=-1)`. */
export const sparsemax = defineActivation({
  name: 'sparsemax',
  params: z.object({
    /** Axis projected along (of the full tensor, batch axis included); -1 is the last. */
    axis: axisSchema.optional(),
  }),
  create: ({ axis = -1 }) => new Sparsemax(axis),
});
