import { z } from 'zod';
import { Callback, type CallbackConfig, type Logs } from './callback.js';

export const terminateOnNaNSchema = z.object({ type: z.literal('TerminateOnNaN') }).strict();

/**
 * Stops training when a batch loss is NaN or infinite (Keras TerminateOnNaN). fit already stops on a non-finite loss
 * and records why in History.stopped; this callback exists so that Keras configs that list it keep working.
 */
export class TerminateOnNaN extends Callback {
  override onBatchEnd(_batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) this.model.stopTraining = true;
  }

  override getConfig(): CallbackConfig {
    return { type: 'TerminateOnNaN' };
  }
}
