import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const adamaxSchema = optimizerObjectSchema('Adamax', {
  beta1: z.number().min(0).max(1).optional(),
  /** Decay of the exponentially weighted infinity norm. */
  beta2: z.number().min(0).max(1).optional(),
  epsilon: nonNegative.optional(),
});
export type AdamaxConfig = z.input<typeof adamaxSchema>;

/**
 * Adamax (Keras Adamax, learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7): m += (g - m)(1 - β1),
 * u = max(β2·u, |g|), w -= lr·m / ((1 - β1^t)(u + ε)).
 */
export class Adamax extends BaseOptimizer {
  readonly name = 'adamax';
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: Omit<AdamaxConfig, 'type'> = {}) {
    const c = parseConfig(adamaxSchema, { ...config, type: 'Adamax' });
    super(c, 0.001);
    this.beta1 = c.beta1 ?? 0.9;
    this.beta2 = c.beta2 ?? 0.999;
    this.epsilon = c.epsilon ?? 1e-7;
  }

  protected argsConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Slots: momentum, infinity norm. */
  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    return [backend.zeros(variable.value.shape), backend.zeros(variable.value.shape)];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    const { beta1, beta2, epsilon } = this;
    const correction = 1 - Math.pow(beta1, this.localStep);
    this.backend.optimizerUpdate('adamax', variable.value, grad, slots, { lr, beta1, beta2, epsilon, correction });
  }
}
