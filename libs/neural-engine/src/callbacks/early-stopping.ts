import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { FloatArray } from '../tensor.js';
import { Callback, type CallbackConfig, type Logs, resolveMode } from './callback.js';

export const earlyStoppingSchema = z.object({
  type: z.literal('EarlyStopping'),
  /** Quantity to watch, e.g. `val_loss` (default) or `val_accuracy`. */
  monitor: z.string().default('val_loss'),
  /** Smallest change that counts as an improvement. */
  minDelta: z.number().nonnegative().default(0),
  /** Epochs without improvement before stopping. */
  patience: z.number().int().nonnegative().default(0),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  /** Value the monitored quantity must beat; waiting continues until it does. */
  baseline: z.number().nullable().default(null),
  /** Restore the weights of the best epoch when training stops. */
  restoreBestWeights: z.boolean().default(false),
  /** Epochs to wait before monitoring starts (warm-up). */
  startFromEpoch: z.number().int().nonnegative().default(0),
}).strict();

/** Stops training when a monitored quantity has stopped improving (Keras EarlyStopping). */
export class EarlyStopping extends Callback {
  private readonly config: z.output<typeof earlyStoppingSchema>;
  private readonly mode: 'min' | 'max';
  private wait = 0;
  private best: number | null = null;
  private bestWeights: FloatArray[] | null = null;
  /** Epoch at which training was stopped (0 when it was not). */
  stoppedEpoch = 0;
  /** Epoch of the best monitored value. */
  bestEpoch = 0;

  constructor(config: Omit<z.input<typeof earlyStoppingSchema>, 'type'> = {}) {
    super();
    this.config = parseConfig(earlyStoppingSchema, { ...config, type: 'EarlyStopping' });
    this.mode = resolveMode(this.config.mode, this.config.monitor);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.config.monitor];
    if (current === undefined || epoch < this.config.startFromEpoch) return;
    if (this.config.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.config.restoreBestWeights) this.bestWeights = this.model.getWeights();
      // The wait restarts only when both the baseline and the previous best are beaten (Keras).
      if (this.config.baseline === null || this.isImprovement(current, this.config.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.config.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    // Keras 3 restores the best weights at the end of training whether or not it stopped early.
    if (this.config.restoreBestWeights && this.bestWeights) this.model.setWeights(this.bestWeights);
  }

  private isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    // An improvement must beat the reference by more than minDelta.
    return this.mode === 'min' ? value + this.config.minDelta < reference : value - this.config.minDelta > reference;
  }

  override getConfig(): CallbackConfig {
    return { ...this.config };
  }
}
