import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { Activation, ActivationConfig } from './activation.js';
import { axisSchema, axisView } from './axis.js';
import { activationConfig, defineActivation } from './definition.js';

/**
 * softmax and log_softmax along one axis. Both subtract the slice maximum before exponentiating, so no exp overflows
 * and the largest term is exactly 1 (log_softmax never takes the log of an underflowed 0).
 */
class Softmax implements Activation {
  constructor(
    readonly name: 'softmax' | 'log_softmax',
    readonly axis: number,
  ) {}

  apply(x: Tensor, backend: Backend): Tensor {
    const { outer, length, inner } = axisView(x.shape, this.axis, this.name);
    const y = backend.zeros(x.shape);
    const xd = x.data;
    const yd = y.data;
    const log = this.name === 'log_softmax';
    // The row's exponentials, kept in float64 so each is computed once and divided unrounded.
    const e = new Float64Array(length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let max = -Infinity;
        for (let k = 0; k < length; k++) max = Math.max(max, xd[base + k * inner]!);
        let sum = 0;
        for (let k = 0; k < length; k++) sum += e[k] = Math.exp(xd[base + k * inner]! - max);
        if (log) {
          const logSum = Math.log(sum);
          for (let k = 0; k < length; k++) yd[base + k * inner] = xd[base + k * inner]! - max - logSum;
        } else {
          for (let k = 0; k < length; k++) yd[base + k * inner] = e[k]! / sum;
        }
      }
    }
    return y;
  }

  /**
   * softmax: dx = y ⊙ (dy - Σ dy·y); log_softmax: dx = dy - softmax(x)·Σ dy, with softmax(x) = e^y. Sums run over
   * the axis.
   */
  gradient(x: Tensor, y: Tensor, dy: Tensor, backend: Backend): Tensor {
    const { outer, length, inner } = axisView(x.shape, this.axis, this.name);
    const dx = backend.zeros(x.shape);
    const yd = y.data;
    const gd = dy.data;
    const dd = dx.data;
    const log = this.name === 'log_softmax';
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let s = 0;
        for (let k = 0; k < length; k++) {
          const j = base + k * inner;
          s += log ? gd[j]! : gd[j]! * yd[j]!;
        }
        for (let k = 0; k < length; k++) {
          const j = base + k * inner;
          dd[j] = log ? gd[j]! - Math.exp(yd[j]!) * s : yd[j]! * (gd[j]! - s);
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
 * Whether `activation` is softmax over the last axis of a tensor of `rank` (batch axis included): the output whose
 * backward pass a crossentropy loss can take over (kernels/softmax-crossentropy.ts).
 */
export function isLastAxisSoftmax(activation: Activation, rank: number): boolean {
  return activation instanceof Softmax && activation.name === 'softmax' && (activation.axis === -1 || activation.axis === rank - 1);
}

const softmaxParams = z.object({
  /** Axis normalized over (of the full tensor, batch axis included); -1 is the last. */
  axis: axisSchema.optional(),
});

/** Keras `softmax(x, axis=-1)`. */
export const softmax = defineActivation({
  name: 'softmax',
  params: softmaxParams,
  create: ({ axis = -1 }) => new Softmax('softmax', axis),
});

/** Keras `log_softmax(x, axis=-1)`. */
export const logSoftmax = defineActivation({
  name: 'log_softmax',
  params: softmaxParams,
  create: ({ axis = -1 }) => new Softmax('log_softmax', axis),
});
