import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const adadeltaSchema = optimizerObjectSchema('Adadelta', {
  /** Decay of both running averages. */
  rho: z.number().min(0).max(1).optional(),
  epsilon: nonNegative.optional(),
});
export type AdadeltaConfig = z.input<typeof adadeltaSchema>;

/**
 * Adadelta (Keras Adadelta, learningRate 0.001, rho 0.95, epsilon 1e-7): E[g²] = ρE[g²] + (1 - ρ)g²,
 * Δ = -sqrt(E[Δ²] + ε)/sqrt(E[g²] + ε)·g, E[Δ²] = ρE[Δ²] + (1 - ρ)Δ², w += lr·Δ. Keras keeps a learning rate
 * (the paper has none; lr = 1 recovers it).
 */
export class Adadelta extends BaseOptimizer {
  readonly name = 'adadelta';
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(config: Omit<AdadeltaConfig, 'type'> = {}) {
    const c = parseConfig(adadeltaSchema, { ...config, type: 'Adadelta' });
    super(c, 0.001);
    this.rho = c.rho ?? 0.95;
    this.epsilon = c.epsilon ?? 1e-7;
  }

  protected argsConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }

  /** Slots: accumulated squared gradient, accumulated squared update. */
  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    return [backend.zeros(variable.value.shape), backend.zeros(variable.value.shape)];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    this.backend.optimizerUpdate('adadelta', variable.value, grad, slots, { lr, rho: this.rho, epsilon: this.epsilon });
  }
}
