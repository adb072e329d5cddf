import { z } from 'zod';
import { nonNegativeInt, parseConfig } from '../../config.js';
import { nonNegative, positive } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';

export const cosineDecaySchema = z.object({
  type: z.literal('CosineDecay'),
  initialLearningRate: nonNegative,
  decaySteps: positive,
  /** Final rate as a fraction of the decay's starting rate. */
  alpha: z.number().finite().optional(),
  /** Rate reached by a linear warmup from initialLearningRate; null skips the warmup. */
  warmupTarget: nonNegative.nullable().optional(),
  warmupSteps: nonNegativeInt.optional(),
  name: z.string().optional(),
}).strict();
export type CosineDecayConfig = z.input<typeof cosineDecaySchema>;

/**
 * Optional linear warmup from initialLearningRate to warmupTarget over warmupSteps, then a half cosine from the
 * starting rate down to alpha times it over decaySteps, held there afterwards (Keras CosineDecay).
 */
export class CosineDecay implements LearningRateSchedule {
  readonly name: string;
  private readonly c: z.output<typeof cosineDecaySchema>;

  constructor(config: Omit<CosineDecayConfig, 'type'>) {
    this.c = parseConfig(cosineDecaySchema, { ...config, type: 'CosineDecay' });
    this.name = this.c.name ?? 'CosineDecay';
  }

  private decay(step: number, from: number): number {
    const alpha = this.c.alpha ?? 0;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.c.decaySteps)));
    return from * ((1 - alpha) * cosine + alpha);
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps } = this.c;
    const target = this.c.warmupTarget ?? null;
    if (target === null) return this.decay(Math.min(step, decaySteps), initialLearningRate);
    const warmupSteps = this.c.warmupSteps ?? 0;
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return (target - initialLearningRate) * (s / warmupSteps) + initialLearningRate;
    return this.decay(s - warmupSteps, target);
  }

  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps } = this.c;
    return {
      type: 'CosineDecay',
      initialLearningRate,
      decaySteps,
      alpha: this.c.alpha ?? 0,
      warmupTarget: this.c.warmupTarget ?? null,
      warmupSteps: this.c.warmupSteps ?? 0,
      name: this.name,
    };
  }
}
