import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { WeightedMean, batchSize, checkSameSize, checkSampleWeight, metricNameSchema } from './common.js';
import { MeanMetric } from './mean-metric.js';
import type { Metric, MetricConfig } from './metric.js';
import {
  cosineSimilarityRows, logCoshRows, meanAbsoluteErrorRows, meanAbsolutePercentageErrorRows, meanSquaredErrorRows,
  meanSquaredLogarithmicErrorRows,
} from './loss-rows.js';
import { type NameOnlyConfig, SimpleMeanMetric, nameOnlySchema } from './simple-mean-metric.js';

/** Mean of mean((y - p)²) per sample (Keras metrics.MeanSquaredError). */
export class MeanSquaredError extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('MeanSquaredError');
  constructor(config: NameOnlyConfig = {}) {
    super(MeanSquaredError.schema, 'MeanSquaredError', 'mean_squared_error', meanSquaredErrorRows, config);
  }
}

/** Mean of mean|y - p| per sample (Keras metrics.MeanAbsoluteError). */
export class MeanAbsoluteError extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('MeanAbsoluteError');
  constructor(config: NameOnlyConfig = {}) {
    super(MeanAbsoluteError.schema, 'MeanAbsoluteError', 'mean_absolute_error', meanAbsoluteErrorRows, config);
  }
}

/** Mean of 100·mean(|y - p| / max(|y|, ε)) per sample (Keras metrics.MeanAbsolutePercentageError). */
export class MeanAbsolutePercentageError extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('MeanAbsolutePercentageError');
  constructor(config: NameOnlyConfig = {}) {
    super(MeanAbsolutePercentageError.schema, 'MeanAbsolutePercentageError', 'mean_absolute_percentage_error', meanAbsolutePercentageErrorRows, config);
  }
}

/** Mean of mean(log(p + 1) - log(y + 1))² per sample (Keras metrics.MeanSquaredLogarithmicError). */
export class MeanSquaredLogarithmicError extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('MeanSquaredLogarithmicError');
  constructor(config: NameOnlyConfig = {}) {
    super(MeanSquaredLogarithmicError.schema, 'MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', meanSquaredLogarithmicErrorRows, config);
  }
}

/** Mean of mean(log cosh(p - y)) per sample (Keras metrics.LogCoshError; its log name is `logcosh`). */
export class LogCoshError extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('LogCoshError');
  constructor(config: NameOnlyConfig = {}) {
    super(LogCoshError.schema, 'LogCoshError', 'logcosh', logCoshRows, config);
  }
}

export const rootMeanSquaredErrorSchema = z
  .object({ type: z.literal('RootMeanSquaredError'), name: metricNameSchema.optional() })
  .strict();
export type RootMeanSquaredErrorConfig = z.input<typeof rootMeanSquaredErrorSchema>;

/** sqrt of the weighted mean squared error over everything seen (Keras RootMeanSquaredError: root of the mean, not mean of roots). */
export class RootMeanSquaredError implements Metric {
  readonly name: string;
  private readonly mean = new WeightedMean();

  constructor(config: Omit<RootMeanSquaredErrorConfig, 'type'> = {}) {
    const c = parseConfig(rootMeanSquaredErrorSchema, { ...config, type: 'RootMeanSquaredError' });
    this.name = c.name ?? 'root_mean_squared_error';
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    checkSameSize(this.name, yTrue, yPred);
    const batch = batchSize(yPred);
    const weights = checkSampleWeight(this.name, sampleWeight, batch);
    const squared = Float64Array.from(yPred.data, (p, i) => (p - yTrue.data[i]!) ** 2);
    this.mean.addRows(squared, batch, weights);
  }

  result(): number {
    return Math.sqrt(this.mean.value());
  }

  reset(): void {
    this.mean.reset();
  }

  getConfig(): MetricConfig {
    return { type: 'RootMeanSquaredError', name: this.name };
  }
}

export const cosineSimilarityMetricSchema = z
  .object({
    type: z.literal('CosineSimilarity'),
    name: metricNameSchema.optional(),
    axis: z.number().int().refine((a) => a !== 0, { error: 'axis 0 is the batch axis' }).optional(),
  })
  .strict();
export type CosineSimilarityMetricConfig = z.input<typeof cosineSimilarityMetricSchema>;

/** Mean cosine similarity between labels and predictions along `axis` (Keras metrics.CosineSimilarity; +1 = aligned). */
export class CosineSimilarity extends MeanMetric {
  readonly axis: number;

  constructor(config: Omit<CosineSimilarityMetricConfig, 'type'> = {}) {
    const c = parseConfig(cosineSimilarityMetricSchema, { ...config, type: 'CosineSimilarity' });
    super(c.name ?? 'cosine_similarity');
    this.axis = c.axis ?? -1;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return cosineSimilarityRows(this.axis)(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return { type: 'CosineSimilarity', name: this.name, axis: this.axis };
  }
}
