import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const nadamSchema = optimizerObjectSchema('Nadam', {
  beta1: z.number().min(0).max(1).optional(),
  beta2: z.number().min(0).max(1).optional(),
  epsilon: nonNegative.optional(),
});
export type NadamConfig = z.input<typeof nadamSchema>;

/**
 * Nadam, Adam with Nesterov momentum (Keras Nadam, learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7), with
 * Dozat's momentum schedule μ_t = β1(1 - 0.5·0.96^t) and its running product Π μ kept as one global slot:
 * m̂ = μ_{t+1}·m/(1 - Πμ·μ_{t+1}) + (1 - μ_t)·g/(1 - Πμ), v̂ = v/(1 - β2^t), w -= lr·m̂/(sqrt(v̂) + ε).
 */
export class Nadam extends BaseOptimizer {
  readonly name = 'nadam';
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: Omit<NadamConfig, 'type'> = {}) {
    const c = parseConfig(nadamSchema, { ...config, type: 'Nadam' });
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

  /** The product of the momentum schedule, starting at 1 (stored in the backend's dtype, like the Keras variable). */
  protected override createGlobalSlots(backend: Backend): Tensor[] {
    return [this.filled(backend, [1], 1)];
  }

  /** Πμ ← Πμ·μ_t once per update, before the variables are updated (Keras _backend_update_step). */
  protected override beforeUpdates(globalSlots: readonly Tensor[]): void {
    const product = globalSlots[0]!.data;
    product[0] = product[0]! * this.mu(this.localStep);
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number, globalSlots: readonly Tensor[]): void {
    const { beta1, beta2, epsilon } = this;
    const t = this.localStep;
    const [uT, uNext] = [this.mu(t), this.mu(t + 1)];
    const productT = globalSlots[0]!.data[0]!;
    const beta2Power = Math.pow(beta2, t);
    this.backend.optimizerUpdate('nadam', variable.value, grad, slots, { lr, beta1, beta2, epsilon, uT, uNext, productT, beta2Power });
  }

  private mu(step: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, step));
  }
}
