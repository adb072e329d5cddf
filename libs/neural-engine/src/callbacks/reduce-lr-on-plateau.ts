import { z } from 'zod';
import { parseConfig } from '../config.js';
import { Callback, type CallbackConfig, type Logs, resolveMode } from './callback.js';

export const reduceLROnPlateauSchema = z.object({
  type: z.literal('ReduceLROnPlateau'),
  monitor: z.string().default('val_loss'),
  /** Multiplier applied to the learning rate on a plateau (new = lr · factor). */
  factor: z.number().positive().lt(1).default(0.1),
  /** Epochs without improvement before reducing. */
  patience: z.number().int().nonnegative().default(10),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  /** Threshold for measuring a new optimum. */
  minDelta: z.number().nonnegative().default(1e-4),
  /** Epochs to wait after a reduction before resuming normal operation. */
  cooldown: z.number().int().nonnegative().default(0),
  /** Lower bound on the learning rate. */
  minLr: z.number().nonnegative().default(0),
}).strict();

/** Reduces the learning rate when a monitored quantity stops improving (Keras ReduceLROnPlateau). */
export class ReduceLROnPlateau extends Callback {
  private readonly config: z.output<typeof reduceLROnPlateauSchema>;
  private readonly mode: 'min' | 'max';
  private wait = 0;
  private cooldownCounter = 0;
  private best = 0;

  constructor(config: Omit<z.input<typeof reduceLROnPlateauSchema>, 'type'> = {}) {
    super();
    this.config = parseConfig(reduceLROnPlateauSchema, { ...config, type: 'ReduceLROnPlateau' });
    this.mode = resolveMode(this.config.mode, this.config.monitor);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    const current = logs[this.config.monitor];
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    const improved = this.mode === 'min' ? current < this.best - this.config.minDelta : current > this.best + this.config.minDelta;
    if (improved) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.config.patience) {
        const oldLr = this.model.learningRate;
        // Keras compares with the float32 value of min_lr, so a rate already at the floor is left alone.
        if (oldLr > Math.fround(this.config.minLr)) {
          this.model.learningRate = Math.max(oldLr * this.config.factor, this.config.minLr);
          this.cooldownCounter = this.config.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  override getConfig(): CallbackConfig {
    return { ...this.config };
  }
}
