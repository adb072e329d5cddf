import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const lambSchema = optimizerObjectSchema('Lamb', {
  beta1: z.number().min(0).max(1).optional(),
  beta2: z.number().min(0).max(1).optional(),
  epsilon: nonNegative.optional(),
});
export type LambConfig = z.input<typeof lambSchema>;

/**
 * LAMB (Keras Lamb, learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7): the Adam direction
 * r = m̂/(sqrt(v̂) + ε) scaled per variable by the trust ratio ‖w‖/‖r‖ (1 when either norm is 0): w -= ratio·lr·r.
 * As in Keras, the weight-decay term of the paper is not part of r (decay, if set, is the shared decoupled one).
 */
export class Lamb extends BaseOptimizer {
  readonly name = 'lamb';
  readonly className = 'Lamb';
  // The update direction is computed in the gradient's place.
  protected override readonly updateWritesGradients = true;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: Omit<LambConfig, 'type'> = {}) {
    const c = parseConfig(lambSchema, { ...config, type: 'Lamb' });
    super(c, 0.001);
    this.beta1 = c.beta1 ?? 0.9;
    this.beta2 = c.beta2 ?? 0.999;
    this.epsilon = c.epsilon ?? 1e-7;
  }

  protected argsConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Slots: momentum, velocity. */
  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    return [backend.zeros(variable.value.shape), backend.zeros(variable.value.shape)];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    const { beta1, beta2, epsilon } = this;
    const t = this.localStep;
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    const w = variable.value.data;
    const g = grad.data;
    const m = slots[0]!.data;
    const v = slots[1]!.data;
    // The update direction is needed whole before the ratio is known; `grad` is the step's scratch copy, so it can hold it.
    const update = grad.data;
    let wSquares = 0;
    let uSquares = 0;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      m[i] = m[i]! + (gi - m[i]!) * (1 - beta1);
      v[i] = v[i]! + (gi * gi - v[i]!) * (1 - beta2);
      update[i] = m[i]! / c1 / (Math.sqrt(v[i]! / c2) + epsilon);
      wSquares += w[i]! * w[i]!;
      uSquares += update[i]! * update[i]!;
    }
    const wNorm = Math.sqrt(wSquares);
    const uNorm = Math.sqrt(uSquares);
    const ratio = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - ratio * lr * update[i]!;
  }
}
