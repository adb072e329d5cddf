import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { nonNegative, positive } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';

export const cosineDecayRestartsSchema = z.object({
  type: z.literal('CosineDecayRestarts'),
  initialLearningRate: nonNegative,
  /** Length of the first period. */
  firstDecaySteps: positive,
  /** Each period is tMul times longer than the previous one. */
  tMul: positive.optional(),
  /** Each period starts at mMul times the previous period's starting rate. */
  mMul: nonNegative.optional(),
  /** Minimum rate as a fraction of initialLearningRate. */
  alpha: z.number().finite().optional(),
  name: z.string().optional(),
}).strict();
export type CosineDecayRestartsConfig = z.input<typeof cosineDecayRestartsSchema>;

/** Cosine decay with warm restarts (SGDR): periods of firstDecaySteps·tMul^i, peaks of initialLearningRate·mMul^i. */
export class CosineDecayRestarts implements LearningRateSchedule {
  readonly name: string;
  private readonly c: z.output<typeof cosineDecayRestartsSchema>;

  constructor(config: Omit<CosineDecayRestartsConfig, 'type'>) {
    this.c = parseConfig(cosineDecayRestartsSchema, { ...config, type: 'CosineDecayRestarts' });
    this.name = this.c.name ?? 'SGDRDecay';
  }

  at(step: number): number {
    const tMul = this.c.tMul ?? 2;
    const mMul = this.c.mMul ?? 1;
    const alpha = this.c.alpha ?? 0;
    let fraction = step / this.c.firstDecaySteps;
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // Periods grow geometrically: the i-th restart begins at fraction (1 - tMul^i) / (1 - tMul) of the first period.
      restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
      const start = (1 - Math.pow(tMul, restart)) / (1 - tMul);
      fraction = (fraction - start) / Math.pow(tMul, restart);
    }
    const cosine = 0.5 * Math.pow(mMul, restart) * (1 + Math.cos(Math.PI * fraction));
    return this.c.initialLearningRate * ((1 - alpha) * cosine + alpha);
  }

  getConfig(): ScheduleConfig {
    return {
      type: 'CosineDecayRestarts',
      initialLearningRate: this.c.initialLearningRate,
      firstDecaySteps: this.c.firstDecaySteps,
      tMul: this.c.tMul ?? 2,
      mMul: this.c.mMul ?? 1,
      alpha: this.c.alpha ?? 0,
      name: this.name,
    };
  }
}
