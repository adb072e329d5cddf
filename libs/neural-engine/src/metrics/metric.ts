import type { Tensor } from '../tensor.js';

/** A metric as written in a config: a Keras name (`"accuracy"`, `"auc"`) or `{type, name, ...args}`. */
export type MetricConfig = string | { type: string; [arg: string]: unknown };

/** A stateful metric (Keras): accumulates over batches until reset, which fit does at each epoch start. */
export interface Metric {
  /** Name used in logs and history, e.g. `accuracy`, `auc`, `precision`. */
  readonly name: string;
  /** Adds a batch. Sample weights have one value per sample. */
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void;
  /** The value over everything seen since the last reset. */
  result(): number;
  reset(): void;
  getConfig(): MetricConfig;
}
