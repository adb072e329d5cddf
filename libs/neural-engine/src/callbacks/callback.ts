import type { FloatArray } from '../tensor.js';

/** Numeric logs of a batch or an epoch: `loss`, metric names, and `val_`-prefixed validation values. */
export type Logs = Record<string, number>;

/** What a callback may see and change of the model being trained. */
export interface CallbackModel {
  /** Set to true to stop after the current epoch (Keras `model.stop_training`). */
  stopTraining: boolean;
  /** Current learning rate of the optimizer; settable when it is a constant. */
  learningRate: number;
  /** Copies of every weight, in layer order. */
  getWeights(): FloatArray[];
  setWeights(weights: readonly ArrayLike<number>[]): void;
}

/** A callback as written in a fit config (JSON): `{type: "EarlyStopping", monitor: "val_loss", patience: 3}`. */
export type CallbackConfig = { type: string; [arg: string]: unknown };

/**
 * Keras-style training hooks. Every hook is optional and may be async (the checkpoint hook writes to storage); fit
 * awaits them in order. `model` is set before onTrainBegin.
 */
export abstract class Callback {
  model!: CallbackModel;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchBegin?(batch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** The JSON config that recreates this callback, when it has one. */
  getConfig?(): CallbackConfig;
}

/** Direction of improvement of a monitored quantity: Keras `mode` resolved from `auto` by the metric's name. */
export function resolveMode(mode: 'auto' | 'min' | 'max', monitor: string): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  const name = monitor.replace(/^val_/, '');
  return /acc|auc|precision|recall|f1|fbeta|r2|true_positives|true_negatives|at_recall|at_precision|at_sensitivity|at_specificity/.test(name)
    ? 'max'
    : 'min';
}
