import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { LearningRateSchedule } from '../optimizers/optimizer.js';
import { getSchedule, scheduleSchema } from '../optimizers/index.js';
import { Callback, type CallbackConfig } from './callback.js';

export const learningRateSchedulerSchema = z.object({
  type: z.literal('LearningRateScheduler'),
  /** A learning-rate schedule evaluated at the epoch index (0-based) instead of the step. */
  schedule: scheduleSchema,
}).strict();

/** Sets the learning rate at the start of each epoch from a function of the epoch (Keras LearningRateScheduler). */
export class LearningRateScheduler extends Callback {
  private readonly fn: (epoch: number, lr: number) => number;
  private readonly config: CallbackConfig | undefined;

  /** `schedule` is a function `(epoch, currentLr) => newLr` or a JSON schedule config evaluated at the epoch. */
  constructor(schedule: ((epoch: number, lr: number) => number) | z.input<typeof scheduleSchema>) {
    super();
    if (typeof schedule === 'function') {
      this.fn = schedule as (epoch: number, lr: number) => number;
    } else {
      const parsed = parseConfig(learningRateSchedulerSchema, { type: 'LearningRateScheduler', schedule });
      const s: LearningRateSchedule = getSchedule(parsed.schedule);
      this.fn = (epoch) => s.at(epoch);
      this.config = { type: 'LearningRateScheduler', schedule: s.getConfig() };
    }
  }

  override onEpochBegin(epoch: number): void {
    const lr = this.fn(epoch, this.model.learningRate);
    if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`LearningRateScheduler returned ${lr} for epoch ${epoch}; expected a finite number >= 0`);
    this.model.learningRate = lr;
  }

  override getConfig(): CallbackConfig {
    if (!this.config) throw new Error('a LearningRateScheduler built from a function has no JSON config');
    return this.config;
  }
}
