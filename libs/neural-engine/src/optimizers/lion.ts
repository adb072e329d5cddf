import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';

export const lionSchema = optimizerObjectSchema('Lion', {
  /** Mix of momentum and gradient inside the sign, in (0, 1] (0 would make Lion SignSGD, which Keras rejects). */
  beta1: z.number().gt(0).max(1).optional(),
  /** Decay of the momentum. */
  beta2: z.number().min(0).max(1).optional(),
});
export type LionConfig = z.input<typeof lionSchema>;

/**
 * Lion (Keras Lion, learningRate 0.001, beta1 0.9, beta2 0.99): w -= lr·sign(β1·m + (1 - β1)·g), then
 * m = β2·m + (1 - β2)·g.
 */
export class Lion extends BaseOptimizer {
  readonly name = 'lion';
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(config: Omit<LionConfig, 'type'> = {}) {
    const c = parseConfig(lionSchema, { ...config, type: 'Lion' });
    super(c, 0.001);
    this.beta1 = c.beta1 ?? 0.9;
    this.beta2 = c.beta2 ?? 0.99;
  }

  protected argsConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2 };
  }

  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    return [backend.zeros(variable.value.shape)];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    this.backend.optimizerUpdate('lion', variable.value, grad, slots, { lr, beta1: this.beta1, beta2: this.beta2 });
  }
}
