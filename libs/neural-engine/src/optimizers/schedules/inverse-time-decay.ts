import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { nonNegative, positive } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';

export const inverseTimeDecaySchema = z.object({
  type: z.literal('InverseTimeDecay'),
  initialLearningRate: nonNegative,
  decaySteps: positive,
  decayRate: nonNegative,
  /** Decay at whole multiples of `decaySteps` only. */
  staircase: z.boolean().optional(),
  name: z.string().optional(),
}).strict();
export type InverseTimeDecayConfig = z.input<typeof inverseTimeDecaySchema>;

/** initialLearningRate / (1 + decayRate · step / decaySteps), the ratio floored when `staircase` (Keras InverseTimeDecay). */
export class InverseTimeDecay implements LearningRateSchedule {
  readonly name: string;
  private readonly c: z.output<typeof inverseTimeDecaySchema>;

  constructor(config: Omit<InverseTimeDecayConfig, 'type'>) {
    this.c = parseConfig(inverseTimeDecaySchema, { ...config, type: 'InverseTimeDecay' });
    this.name = this.c.name ?? 'InverseTimeDecay';
  }

  at(step: number): number {
    let p = step / this.c.decaySteps;
    if (this.c.staircase) p = Math.floor(p);
    return this.c.initialLearningRate / (1 + this.c.decayRate * p);
  }

  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps, decayRate } = this.c;
    return { type: 'InverseTimeDecay', initialLearningRate, decaySteps, decayRate, staircase: this.c.staircase ?? false, name: this.name };
  }
}
