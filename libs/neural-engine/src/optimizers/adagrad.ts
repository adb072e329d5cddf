import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const adagradSchema = optimizerObjectSchema('Adagrad', {
  /** Starting value of the squared-gradient accumulators. */
  initialAccumulatorValue: nonNegative.optional(),
  epsilon: nonNegative.optional(),
});
export type AdagradConfig = z.input<typeof adagradSchema>;

/**
 * Adagrad (Keras Adagrad, learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7): a += g²,
 * w -= lr·g / sqrt(a + ε). As in Keras, ε is inside the square root.
 */
export class Adagrad extends BaseOptimizer {
  readonly name = 'adagrad';
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(config: Omit<AdagradConfig, 'type'> = {}) {
    const c = parseConfig(adagradSchema, { ...config, type: 'Adagrad' });
    super(c, 0.001);
    this.initialAccumulatorValue = c.initialAccumulatorValue ?? 0.1;
    this.epsilon = c.epsilon ?? 1e-7;
  }

  protected argsConfig(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    return [this.filled(backend, variable.value.shape, this.initialAccumulatorValue)];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    this.backend.optimizerUpdate('adagrad', variable.value, grad, slots, { lr, epsilon: this.epsilon });
  }
}
