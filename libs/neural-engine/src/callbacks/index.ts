import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Callback, CallbackConfig } from './callback.js';
import { EarlyStopping, earlyStoppingSchema } from './early-stopping.js';
import { LearningRateScheduler, learningRateSchedulerSchema } from './learning-rate-scheduler.js';
import { ReduceLROnPlateau, reduceLROnPlateauSchema } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN, terminateOnNaNSchema } from './terminate-on-nan.js';

export { Callback, type CallbackConfig, type CallbackModel, type Logs } from './callback.js';
export { History, type StopReason } from './history.js';
export { EarlyStopping } from './early-stopping.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export { LearningRateScheduler } from './learning-rate-scheduler.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { CheckpointHook, type TrainingCheckpoint } from './checkpoint.js';

/** Callbacks that can be written in a JSON fit config. */
export const callbackSchema = z.discriminatedUnion('type', [
  earlyStoppingSchema,
  reduceLROnPlateauSchema,
  learningRateSchedulerSchema,
  terminateOnNaNSchema,
]);

/** Creates a callback from its JSON config. */
export function createCallback(config: CallbackConfig, path: readonly PropertyKey[] = []): Callback {
  const parsed = parseConfig(callbackSchema, config, path);
  const { type, ...args } = parsed;
  switch (type) {
    case 'EarlyStopping':
      return new EarlyStopping(args as Omit<typeof parsed & { type: 'EarlyStopping' }, 'type'>);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(args as Omit<typeof parsed & { type: 'ReduceLROnPlateau' }, 'type'>);
    case 'LearningRateScheduler':
      return new LearningRateScheduler((parsed as z.output<typeof learningRateSchedulerSchema>).schedule);
    case 'TerminateOnNaN':
      return new TerminateOnNaN();
  }
}
