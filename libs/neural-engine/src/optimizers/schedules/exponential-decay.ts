import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { nonNegative, positive } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';

export const exponentialDecaySchema = z.object({
  type: z.literal('ExponentialDecay'),
  initialLearningRate: nonNegative,
  /** Steps over which the rate is multiplied by `decayRate`. */
  decaySteps: positive,
  decayRate: positive,
  /** Decay at whole multiples of `decaySteps` only. */
  staircase: z.boolean().optional(),
  name: z.string().optional(),
}).strict();
export type ExponentialDecayConfig = z.input<typeof exponentialDecaySchema>;

/** initialLearningRate · decayRate^(step / decaySteps), the exponent floored when `staircase` (Keras ExponentialDecay). */
export class ExponentialDecay implements LearningRateSchedule {
  readonly name: string;
  private readonly c: z.output<typeof exponentialDecaySchema>;

  constructor(config: Omit<ExponentialDecayConfig, 'type'>) {
    this.c = parseConfig(exponentialDecaySchema, { ...config, type: 'ExponentialDecay' });
    this.name = this.c.name ?? 'ExponentialDecay';
  }

  at(step: number): number {
    let p = step / this.c.decaySteps;
    if (this.c.staircase) p = Math.floor(p);
    return this.c.initialLearningRate * Math.pow(this.c.decayRate, p);
  }

  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps, decayRate } = this.c;
    return { type: 'ExponentialDecay', initialLearningRate, decaySteps, decayRate, staircase: this.c.staircase ?? false, name: this.name };
  }
}
