import { Callback, type Logs } from './callback.js';

/** Why training ended early, when it did. */
export interface StopReason {
  /** `diverged`: a non-finite loss; `cancelled`: the AbortSignal fired; `callback`: a callback set stopTraining. */
  reason: 'diverged' | 'cancelled' | 'callback';
  /** Zero-based epoch and batch where training stopped. */
  epoch: number;
  batch: number;
  message: string;
}

/** Records the logs of every epoch; fit returns it (Keras History). */
export class History extends Callback {
  /** Epoch indices that ran (zero-based, offset by initialEpoch). */
  readonly epoch: number[] = [];
  /** Every logged quantity, one value per epoch: `history.loss`, `history.val_accuracy`. */
  readonly history: Record<string, number[]> = {};
  /** Set when training ended before the requested number of epochs. */
  stopped: StopReason | null = null;

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
