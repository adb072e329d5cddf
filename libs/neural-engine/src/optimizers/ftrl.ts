import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const ftrlSchema = optimizerObjectSchema('Ftrl', {
  /** How the per-coordinate rate shrinks with the accumulated squared gradient; <= 0, 0 for a fixed rate. */
  learningRatePower: z.number().finite().max(0).optional(),
  initialAccumulatorValue: nonNegative.optional(),
  l1RegularizationStrength: nonNegative.optional(),
  /** Stabilization (online) L2 penalty. */
  l2RegularizationStrength: nonNegative.optional(),
  /** Magnitude L2 penalty, added to the gradient as 2·strength·w. */
  l2ShrinkageRegularizationStrength: nonNegative.optional(),
  beta: nonNegative.optional(),
});
export type FtrlConfig = z.input<typeof ftrlSchema>;

/**
 * FTRL-Proximal (Keras Ftrl, learningRate 0.001, learningRatePower -0.5, initialAccumulatorValue 0.1, l1/l2/
 * l2Shrinkage 0, beta 0): with p = -learningRatePower, n' = n + g², z += g + 2·λshrink·w - (n'^p - n^p)/lr·w,
 * w = (clip(z, -λ1, λ1) - z) / (n'^p/lr + 2(λ2 + β/(2lr))), n = n'. As in Keras, the accumulator takes the raw
 * gradient while z takes the shrinkage-adjusted one.
 */
export class Ftrl extends BaseOptimizer {
  readonly name = 'ftrl';
  readonly className = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(config: Omit<FtrlConfig, 'type'> = {}) {
    const c = parseConfig(ftrlSchema, { ...config, type: 'Ftrl' });
    super(c, 0.001);
    this.learningRatePower = c.learningRatePower ?? -0.5;
    this.initialAccumulatorValue = c.initialAccumulatorValue ?? 0.1;
    this.l1RegularizationStrength = c.l1RegularizationStrength ?? 0;
    this.l2RegularizationStrength = c.l2RegularizationStrength ?? 0;
    this.l2ShrinkageRegularizationStrength = c.l2ShrinkageRegularizationStrength ?? 0;
    this.beta = c.beta ?? 0;
  }

  protected argsConfig(): Record<string, unknown> {
    return {
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }

  /** Slots: accumulator (n), linear (z). */
  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    return [this.filled(backend, variable.value.shape, this.initialAccumulatorValue), backend.zeros(variable.value.shape)];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    const p = -this.learningRatePower;
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrink = 2 * this.l2ShrinkageRegularizationStrength;
    const w = variable.value.data;
    const g = grad.data;
    const accum = slots[0]!.data;
    const linear = slots[1]!.data;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const newAccum = accum[i]! + gi * gi;
      const newPower = Math.pow(newAccum, p);
      linear[i] = linear[i]! + (gi + shrink * w[i]! - ((newPower - Math.pow(accum[i]!, p)) / lr) * w[i]!);
      const quadratic = newPower / lr + 2 * l2;
      const clipped = Math.min(Math.max(linear[i]!, -l1), l1);
      w[i] = (clipped - linear[i]!) / quadratic;
      accum[i] = newAccum;
    }
  }
}
