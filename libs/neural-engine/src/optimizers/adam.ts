import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, type BaseOptimizerArgs, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

/** Adam's own arguments (shared with AdamW). */
export const adamShape = {
  /** Decay of the first-moment estimate. */
  beta1: z.number().min(0).max(1).optional(),
  /** Decay of the second-moment estimate. */
  beta2: z.number().min(0).max(1).optional(),
  /** "Epsilon hat": added to sqrt(v), outside the bias correction. */
  epsilon: nonNegative.optional(),
  /** Use the maximum of past second moments (AMSGrad). */
  amsgrad: z.boolean().optional(),
};

export const adamSchema = optimizerObjectSchema('Adam', adamShape);
export type AdamConfig = z.input<typeof adamSchema>;

/** Parsed Adam arguments. */
export type AdamArgs = BaseOptimizerArgs & { beta1?: number | undefined; beta2?: number | undefined; epsilon?: number | undefined; amsgrad?: boolean | undefined };

/**
 * Adam (Keras Adam, learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7): m += (g - m)(1 - β1),
 * v += (g² - v)(1 - β2), w -= lr·sqrt(1 - β2^t)/(1 - β1^t) · m / (sqrt(v) + ε). As in Keras, ε is added to the
 * uncorrected sqrt(v) (the paper adds it to the bias-corrected one).
 */
export class Adam extends BaseOptimizer {
  readonly name: string = 'adam';
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(config: Omit<AdamConfig, 'type'> = {}) {
    const c = parseConfig(adamSchema, { ...config, type: 'Adam' });
    super(c, 0.001);
    [this.beta1, this.beta2, this.epsilon, this.amsgrad] = adamDefaults(c);
  }

  protected argsConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }

  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    const shape = variable.value.shape;
    const slots = [backend.zeros(shape), backend.zeros(shape)];
    if (this.amsgrad) slots.push(backend.zeros(shape));
    return slots;
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], lr: number): void {
    const t = this.localStep;
    const { beta1, beta2, epsilon } = this;
    const alpha = (lr * Math.sqrt(1 - Math.pow(beta2, t))) / (1 - Math.pow(beta1, t));
    this.backend.optimizerUpdate('adam', variable.value, grad, slots, { alpha, beta1, beta2, epsilon });
  }
}

/** beta1, beta2, epsilon, amsgrad with Keras defaults. */
export function adamDefaults(c: AdamArgs): [number, number, number, boolean] {
  return [c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.epsilon ?? 1e-7, c.amsgrad ?? false];
}
