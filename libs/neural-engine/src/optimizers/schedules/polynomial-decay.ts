import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { nonNegative, positive } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';

export const polynomialDecaySchema = z.object({
  type: z.literal('PolynomialDecay'),
  initialLearningRate: nonNegative,
  decaySteps: positive,
  /** Rate reached after `decaySteps` (Keras default 1e-4). */
  endLearningRate: nonNegative.optional(),
  power: z.number().finite().optional(),
  /** Restart the decay at each multiple of `decaySteps` instead of holding `endLearningRate`. */
  cycle: z.boolean().optional(),
  name: z.string().optional(),
}).strict();
export type PolynomialDecayConfig = z.input<typeof polynomialDecaySchema>;

/**
 * (initial - end) · (1 - step / decaySteps)^power + end, with step capped at decaySteps, or with decaySteps stretched
 * to the first multiple not below step when `cycle` (Keras PolynomialDecay).
 */
export class PolynomialDecay implements LearningRateSchedule {
  readonly name: string;
  private readonly c: z.output<typeof polynomialDecaySchema>;

  constructor(config: Omit<PolynomialDecayConfig, 'type'>) {
    this.c = parseConfig(polynomialDecaySchema, { ...config, type: 'PolynomialDecay' });
    this.name = this.c.name ?? 'PolynomialDecay';
  }

  private get end(): number {
    return this.c.endLearningRate ?? 1e-4;
  }

  at(step: number): number {
    let decaySteps = this.c.decaySteps;
    let s = step;
    if (this.c.cycle) {
      // At step 0 Keras uses a multiplier of 1, not ceil(0) = 0, which would divide by zero.
      decaySteps *= s === 0 ? 1 : Math.ceil(s / decaySteps);
    } else {
      s = Math.min(s, decaySteps);
    }
    return (this.c.initialLearningRate - this.end) * Math.pow(1 - s / decaySteps, this.c.power ?? 1) + this.end;
  }

  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps } = this.c;
    return {
      type: 'PolynomialDecay',
      initialLearningRate,
      decaySteps,
      endLearningRate: this.end,
      power: this.c.power ?? 1,
      cycle: this.c.cycle ?? false,
      name: this.name,
    };
  }
}
