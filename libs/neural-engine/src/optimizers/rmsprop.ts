import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const rmspropSchema = optimizerObjectSchema('RMSprop', {
  /** Discount of the mean square (and mean gradient when centered). */
  rho: z.number().min(0).max(1).optional(),
  /** Plain (not Nesterov) momentum on the increments; 0 disables it. */
  momentum: z.number().min(0).max(1).optional(),
  epsilon: nonNegative.optional(),
  /** Divide by the estimated variance instead of the uncentered second moment. */
  centered: z.boolean().optional(),
});
export type RMSpropConfig = z.input<typeof rmspropSchema>;

/**
 * RMSprop (Keras RMSprop, learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7): s = ρs + (1 - ρ)g²,
 * Δ = lr·g / sqrt(s + ε) (or sqrt(s - ḡ² + ε) centered, ḡ = ρḡ + (1 - ρ)g); w -= Δ, or with momentum
 * mom = momentum·mom + Δ, w -= mom. As in Keras, ε is inside the square root.
 */
export class RMSprop extends BaseOptimizer {
  readonly name = 'rmsprop';
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(config: Omit<RMSpropConfig, 'type'> = {}) {
    const c = parseConfig(rmspropSchema, { ...config, type: 'RMSprop' });
    super(c, 0.001);
    this.rho = c.rho ?? 0.9;
    this.momentum = c.momentum ?? 0;
    this.epsilon = c.epsilon ?? 1e-7;
    this.centered = c.centered ?? false;
  }

  protected argsConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  /** Slots: velocity (mean square), then momentum if used, then the average gradient if centered (Keras order). */
  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    const shape = variable.value.shape;
    const slots = [backend.zeros(shape)];
    if (this.momentum > 0) slots.push(backend.zeros(shape));
    if (this.centered) slots.push(backend.zeros(shape));
    return slots;
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    const { rho, momentum, epsilon } = this;
    // The rule's slots in fixed places, null where this configuration has none.
    const momentumSlot = momentum > 0 ? slots[1]! : null;
    const average = this.centered ? slots[momentum > 0 ? 2 : 1]! : null;
    this.backend.optimizerUpdate('rmsprop', variable.value, grad, [slots[0]!, momentumSlot, average], { lr, rho, momentum, epsilon });
  }
}
