import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { ConfigError } from '../errors.js';
import { type Shape, type Tensor, formatShape } from '../tensor.js';
import type { Activation, ActivationConfig } from './activation.js';
import { axisSchema, axisView } from './axis.js';
import { activationConfig, defineActivation } from './definition.js';
import { sigmoid } from './math.js';

/**
 * Gated linear unit (Dauphin et al., 2017): x is split in two equal halves a, b along `axis` and y = a·σ(b), so the
 * output has half the input's size along that axis.
 */
class Glu implements Activation {
  readonly name = 'glu';
  constructor(readonly axis: number) {}

  /**
   * `inputShape` has no batch axis, while `axis` counts the batch axis (as in Keras): axis k ≥ 1 is per-sample axis
   * k - 1, negative axes count from the end in both, and axis 0 (the batch) cannot be split per sample.
   */
  computeOutputShape(inputShape: Shape): Shape {
    const rank = inputShape.length;
    const a = this.axis < 0 ? rank + this.axis : this.axis - 1;
    if (this.axis === 0) throw this.error('glu cannot split the batch axis (axis 0)');
    if (a < 0 || a >= rank) throw this.error(`glu axis ${this.axis} is out of range for input shape ${formatShape(inputShape)}`);
    const n = inputShape[a]!;
    if (n % 2 !== 0) throw this.error(`glu needs an even size along axis ${this.axis}, received input shape ${formatShape(inputShape)}`);
    const out = [...inputShape];
    out[a] = n / 2;
    return out;
  }

  apply(x: Tensor, backend: Backend): Tensor {
    const { outer, length, inner, axis } = this.view(x);
    const half = length / 2;
    const shape = [...x.shape];
    shape[axis] = half;
    const y = backend.zeros(shape);
    const xd = x.data;
    const yd = y.data;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < half; k++) {
        const ia = (o * length + k) * inner;
        const ib = ia + half * inner;
        const iy = (o * half + k) * inner;
        for (let i = 0; i < inner; i++) yd[iy + i] = xd[ia + i]! * sigmoid(xd[ib + i]!);
      }
    }
    return y;
  }

  /** da = dy·σ(b), db = dy·a·σ(b)·(1 - σ(b)). */
  gradient(x: Tensor, _y: Tensor, dy: Tensor, backend: Backend): Tensor {
    const { outer, length, inner } = this.view(x);
    const half = length / 2;
    const dx = backend.zeros(x.shape);
    const xd = x.data;
    const gd = dy.data;
    const dd = dx.data;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < half; k++) {
        const ia = (o * length + k) * inner;
        const ib = ia + half * inner;
        const iy = (o * half + k) * inner;
        for (let i = 0; i < inner; i++) {
          const s = sigmoid(xd[ib + i]!);
          const g = gd[iy + i]!;
          dd[ia + i] = g * s;
          dd[ib + i] = g * xd[ia + i]! * s * (1 - s);
        }
      }
    }
    return dx;
  }

  getConfig(): ActivationConfig {
    return activationConfig(this.name, { axis: this.axis }, { axis: -1 });
  }

  private view(x: Tensor) {
    const view = axisView(x.shape, this.axis, this.name);
    if (view.length % 2 !== 0) {
      throw this.error(`glu needs an even size along axis ${this.axis}, received a tensor of shape ${formatShape(x.shape, false)}`);
    }
    return view;
  }

  private error(message: string): ConfigError {
    return new ConfigError(message, [{ path: 'axis', message, received: this.axis }]);
  }
}

/** Keras `glu(x, axis=-1)`: a·sigmoid(b) for the halves a, b of x along axis. */
export const glu = defineActivation({
  name: 'glu',
  params: z.object({
    /** Axis split in halves (of the full tensor, batch axis included); -1 is the last. */
    axis: axisSchema.optional(),
  }),
  create: ({ axis = -1 }) => new Glu(axis),
});
