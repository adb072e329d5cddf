import type { Metric } from './metric.js';

/**
 * A metric whose Keras result is a vector (F1Score/FBetaScore with `average: null`, R2Score with
 * `classAggregation: null`, Precision/Recall/TruePositives... with several thresholds). `result()` stays a number
 * for logs and history (the mean of the vector, or the aggregate Keras returns); `resultVector()` gives every entry.
 */
export interface VectorMetric extends Metric {
  /** One value per class / output / threshold, over everything seen since the last reset. */
  resultVector(): Float64Array;
}

/** Whether a metric exposes a vector result. */
export function isVectorMetric(metric: Metric): metric is VectorMetric {
  return typeof (metric as Partial<VectorMetric>).resultVector === 'function';
}
