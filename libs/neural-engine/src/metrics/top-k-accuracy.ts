import { z } from 'zod';
import { parseConfig, positiveInt } from '../config.js';
import type { Tensor } from '../tensor.js';
import { argmaxRow, inTopK } from './argmax.js';
import { sparseRows } from './categorical-accuracy.js';
import { checkSameSize, lastAxisRows, metricNameSchema } from './common.js';
import { MeanMetric } from './mean-metric.js';
import type { MetricConfig } from './metric.js';

export const topKCategoricalAccuracySchema = z
  .object({ type: z.literal('TopKCategoricalAccuracy'), name: metricNameSchema.optional(), k: positiveInt.optional() })
  .strict();
export type TopKCategoricalAccuracyConfig = z.input<typeof topKCategoricalAccuracySchema>;

/** How often the one-hot target is among the k highest predictions (Keras TopKCategoricalAccuracy, k = 5). */
export class TopKCategoricalAccuracy extends MeanMetric {
  readonly k: number;

  constructor(config: Omit<TopKCategoricalAccuracyConfig, 'type'> = {}) {
    const c = parseConfig(topKCategoricalAccuracySchema, { ...config, type: 'TopKCategoricalAccuracy' });
    super(c.name ?? 'top_k_categorical_accuracy');
    this.k = c.k ?? 5;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    checkSameSize(this.name, yTrue, yPred);
    const [rows, cols] = lastAxisRows(yPred.shape, yPred.size);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      out[r] = inTopK(yPred.data, r * cols, cols, argmaxRow(yTrue.data, r * cols, cols), this.k) ? 1 : 0;
    }
    return out;
  }

  getConfig(): MetricConfig {
    return { type: 'TopKCategoricalAccuracy', name: this.name, k: this.k };
  }
}

export const sparseTopKCategoricalAccuracySchema = z
  .object({ type: z.literal('SparseTopKCategoricalAccuracy'), name: metricNameSchema.optional(), k: positiveInt.optional() })
  .strict();
export type SparseTopKCategoricalAccuracyConfig = z.input<typeof sparseTopKCategoricalAccuracySchema>;

/** How often the integer target is among the k highest predictions (Keras SparseTopKCategoricalAccuracy, k = 5). */
export class SparseTopKCategoricalAccuracy extends MeanMetric {
  readonly k: number;

  constructor(config: Omit<SparseTopKCategoricalAccuracyConfig, 'type'> = {}) {
    const c = parseConfig(sparseTopKCategoricalAccuracySchema, { ...config, type: 'SparseTopKCategoricalAccuracy' });
    super(c.name ?? 'sparse_top_k_categorical_accuracy');
    this.k = c.k ?? 5;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    const [rows, cols] = sparseRows(this.name, yTrue, yPred);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = inTopK(yPred.data, r * cols, cols, yTrue.data[r]!, this.k) ? 1 : 0;
    return out;
  }

  getConfig(): MetricConfig {
    return { type: 'SparseTopKCategoricalAccuracy', name: this.name, k: this.k };
  }
}
