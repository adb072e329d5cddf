import { describe, expect, test } from 'vitest';
import { ConfigError } from '../errors.js';
import { getMetric, isVectorMetric, metricRegistry, metricSchema } from './index.js';
import type { MetricConfig } from './metric.js';
import { tensor } from '../testing/metric-batches.js';

/** One non-default config per Keras metric class. */
const configs: MetricConfig[] = [
  { type: 'Accuracy', name: 'exact' },
  { type: 'BinaryAccuracy', threshold: 0.7 },
  { type: 'CategoricalAccuracy' },
  { type: 'SparseCategoricalAccuracy' },
  { type: 'TopKCategoricalAccuracy', k: 3 },
  { type: 'SparseTopKCategoricalAccuracy', k: 2, name: 'top2' },
  { type: 'BinaryCrossentropy', fromLogits: true, labelSmoothing: 0.1 },
  { type: 'CategoricalCrossentropy', fromLogits: true, labelSmoothing: 0.2, axis: 1 },
  { type: 'SparseCategoricalCrossentropy', fromLogits: true, axis: -1 },
  { type: 'KLDivergence' },
  { type: 'Poisson' },
  { type: 'MeanSquaredError' },
  { type: 'RootMeanSquaredError' },
  { type: 'MeanAbsoluteError' },
  { type: 'MeanAbsolutePercentageError' },
  { type: 'MeanSquaredLogarithmicError' },
  { type: 'CosineSimilarity', axis: 1 },
  { type: 'LogCoshError' },
  { type: 'R2Score', classAggregation: null, numRegressors: 2 },
  { type: 'AUC', name: 'auc_pr', curve: 'PR', numThresholds: 100 },
  { type: 'AUC', thresholds: [0.2, 0.5], multiLabel: true, numLabels: 2, labelWeights: [1, 2], fromLogits: true },
  { type: 'Precision', thresholds: [0.3, 0.6], classId: 1 },
  { type: 'Recall', topK: 2 },
  { type: 'TruePositives', thresholds: 0.3 },
  { type: 'TrueNegatives', thresholds: [0.1, 0.9] },
  { type: 'FalsePositives' },
  { type: 'FalseNegatives' },
  { type: 'PrecisionAtRecall', recall: 0.8, numThresholds: 50 },
  { type: 'RecallAtPrecision', precision: 0.9, classId: 0 },
  { type: 'SensitivityAtSpecificity', specificity: 0.7 },
  { type: 'SpecificityAtSensitivity', sensitivity: 0.6 },
  { type: 'F1Score', average: 'macro', threshold: 0.4 },
  { type: 'FBetaScore', average: 'weighted', beta: 0.5 },
  { type: 'Hinge' },
  { type: 'SquaredHinge' },
  { type: 'CategoricalHinge' },
];

describe('config round trip', () => {
  test.each(configs.map((c) => [typeof c === 'string' ? c : c.type, c] as const))('%s', (_, config) => {
    const m = getMetric(config);
    const out = m.getConfig();
    expect(out).toMatchObject(config as object);
    expect(getMetric(out).getConfig()).toEqual(out);
    expect(metricSchema.safeParse(out).success).toBe(true);
  });

  test('every Keras 3 metric class of the issue is covered (35)', () => {
    expect(new Set(configs.map((c) => (c as { type: string }).type)).size).toBe(35);
  });
});

describe('string identifiers', () => {
  const cases: [string, string][] = [
    ['accuracy', 'accuracy'], ['acc', 'accuracy'], ['Accuracy', 'accuracy'],
    ['binary_accuracy', 'binary_accuracy'], ['categoricalAccuracy', 'categorical_accuracy'],
    ['sparse_categorical_accuracy', 'sparse_categorical_accuracy'],
    ['top_k_categorical_accuracy', 'top_k_categorical_accuracy'], ['sparse_top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy'],
    ['mse', 'mean_squared_error'], ['MSE', 'mean_squared_error'], ['mae', 'mean_absolute_error'],
    ['mape', 'mean_absolute_percentage_error'], ['msle', 'mean_squared_logarithmic_error'], ['bce', 'binary_crossentropy'],
    ['root_mean_squared_error', 'root_mean_squared_error'], ['log_cosh_error', 'logcosh'], ['kl_divergence', 'kl_divergence'],
    ['KLDivergence', 'kl_divergence'], ['auc', 'auc'], ['AUC', 'auc'], ['precision', 'precision'], ['recall', 'recall'],
    ['f1_score', 'f1_score'], ['F1Score', 'f1_score'], ['fbeta_score', 'fbeta_score'], ['r2_score', 'r2_score'],
    ['true_positives', 'true_positives'], ['categorical_hinge', 'categorical_hinge'], ['cosine_similarity', 'cosine_similarity'],
  ];
  test.each(cases)('%s → %s', (id, name) => {
    expect(metricSchema.safeParse(id).success).toBe(true);
    expect(getMetric(id).name).toBe(name);
  });

  test('metrics that need an argument are objects only', () => {
    expect(metricRegistry.has('precision_at_recall')).toBe(false);
    expect(() => getMetric('precision_at_recall')).toThrow(ConfigError);
  });

  test('vector metrics are recognisable', () => {
    expect(isVectorMetric(getMetric('f1_score'))).toBe(true);
    expect(isVectorMetric(getMetric('r2_score'))).toBe(true);
    expect(isVectorMetric(getMetric('precision'))).toBe(true);
    expect(isVectorMetric(getMetric('auc'))).toBe(false);
  });
});

describe('bad configs throw ConfigError naming the path and the received value', () => {
  const bad: [unknown, string[]][] = [
    [{ type: 'AUC', numThresholds: 1 }, ['numThresholds', 'received 1']],
    ['not_a_metric', ['"not_a_metric"', 'unknown metric']],
    [{ type: 'NotAMetric' }, ['type', 'NotAMetric']],
    [{ type: 'AUC', curve: 'PRGAIN' }, ['curve', '"PRGAIN"']],
    [{ type: 'AUC', numLabels: 3 }, ['numLabels', 'received 3']],
    [{ type: 'Precision', thresholds: [0.5, 1.5] }, ['thresholds[1]', 'received 1.5']],
    [{ type: 'Recall', topK: 0 }, ['topK', 'received 0']],
    [{ type: 'BinaryAccuracy', threshold: 1 }, ['threshold', 'received 1']],
    [{ type: 'SensitivityAtSpecificity' }, ['specificity']],
    [{ type: 'RecallAtPrecision', precision: 2 }, ['precision', 'received 2']],
    [{ type: 'SensitivityAtSpecificity', specificity: 0.5, numThresholds: 0 }, ['numThresholds', 'received 0']],
    [{ type: 'FBetaScore', average: 'samples' }, ['average', '"samples"']],
    [{ type: 'FBetaScore', beta: 0 }, ['beta', 'received 0']],
    [{ type: 'R2Score', numRegressors: -1 }, ['numRegressors', 'received -1']],
    [{ type: 'CategoricalCrossentropy', axis: 0 }, ['axis', 'received 0']],
    [{ type: 'MeanSquaredError', reduction: 'sum' }, ['reduction']],
    [{ type: 'F1Score', beta: 2 }, ['beta']],
    [42, ['received 42']],
  ];
  test.each(bad.map(([c, parts]) => [JSON.stringify(c), c, parts] as const))('%s', (_, config, parts) => {
    let error: unknown;
    try {
      getMetric(config as MetricConfig);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const part of parts) expect((error as ConfigError).message).toContain(part);
    expect(metricSchema.safeParse(config).success).toBe(false);
  });

  test('a path prefix is included', () => {
    expect(() => getMetric({ type: 'AUC', numThresholds: 1 }, ['metrics', 2])).toThrow(/metrics\[2\]\.numThresholds/);
  });
});

test('shape errors are DataErrors, not silent', () => {
  const m = getMetric('mse');
  expect(() => m.update(tensor([2, 2], [1, 2, 3, 4]), tensor([2, 3], [1, 2, 3, 4, 5, 6]))).toThrow(/does not match/);
  expect(() => m.update(tensor([2, 1], [1, 2]), tensor([2, 1], [1, 2]), [1])).toThrow(/one value per sample/);
});
