/** Keras 3 metrics: stateful accumulators over batches, built from configs with getMetric. */
export type { Metric, MetricConfig } from './metric.js';
export type { VectorMetric } from './vector-metric.js';
export { isVectorMetric } from './vector-metric.js';
export { getMetric, metricRegistry, metricSchema } from './registry.js';
export { Accuracy, BinaryAccuracy } from './accuracy.js';
export { CategoricalAccuracy, SparseCategoricalAccuracy } from './categorical-accuracy.js';
export { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k-accuracy.js';
export { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy } from './probabilistic.js';
export {
  CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
  MeanSquaredLogarithmicError, RootMeanSquaredError,
} from './regression.js';
export { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
export { R2Score } from './r2-score.js';
export { AUC } from './auc.js';
export { Precision, Recall } from './precision-recall.js';
export { FalseNegatives, FalsePositives, TrueNegatives, TruePositives } from './confusion-counts.js';
export { PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity } from './operating-point.js';
export { F1Score, FBetaScore } from './f-score.js';
