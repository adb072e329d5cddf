import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';

export const sgdSchema = optimizerObjectSchema('SGD', {
  /** Velocity decay in [0, 1]; 0 is plain gradient descent. */
  momentum: z.number().min(0).max(1).optional(),
  nesterov: z.boolean().optional(),
});
export type SGDConfig = z.input<typeof sgdSchema>;

/**
 * Gradient descent with optional (Nesterov) momentum (Keras SGD, learningRate 0.01): velocity = momentum·velocity -
 * lr·g, then w += velocity, or w += momentum·velocity - lr·g with nesterov.
 */
export class SGD extends BaseOptimizer {
  readonly name = 'sgd';
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: Omit<SGDConfig, 'type'> = {}) {
    const c = parseConfig(sgdSchema, { ...config, type: 'SGD' });
    super(c, 0.01);
    this.momentum = c.momentum ?? 0;
    this.nesterov = c.nesterov ?? false;
  }

  protected argsConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }

  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    // As in Keras, the velocity slot exists only when momentum is used.
    return this.momentum !== 0 ? [backend.zeros(variable.value.shape)] : [];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    if (slots.length === 0) return this.backend.optimizerUpdate('sgd', variable.value, grad, slots, { lr });
    const rule = this.nesterov ? 'sgdNesterov' : 'sgdMomentum';
    this.backend.optimizerUpdate(rule, variable.value, grad, slots, { lr, momentum: this.momentum });
  }
}
