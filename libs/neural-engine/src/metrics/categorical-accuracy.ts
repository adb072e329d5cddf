import { z } from 'zod';
import { parseConfig } from '../config.js';
import { DataError } from '../errors.js';
import { type Tensor, formatShape } from '../tensor.js';
import { argmaxRow } from './argmax.js';
import { checkSameSize, lastAxisRows, metricNameSchema } from './common.js';
import { MeanMetric } from './mean-metric.js';
import type { MetricConfig } from './metric.js';

export const categoricalAccuracySchema = z
  .object({ type: z.literal('CategoricalAccuracy'), name: metricNameSchema.optional() })
  .strict();
export type CategoricalAccuracyConfig = z.input<typeof categoricalAccuracySchema>;

/** How often argmax(yPred) equals argmax(yTrue) for one-hot labels (Keras CategoricalAccuracy). */
export class CategoricalAccuracy extends MeanMetric {
  constructor(config: Omit<CategoricalAccuracyConfig, 'type'> = {}) {
    const c = parseConfig(categoricalAccuracySchema, { ...config, type: 'CategoricalAccuracy' });
    super(c.name ?? 'categorical_accuracy');
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    checkSameSize(this.name, yTrue, yPred);
    const [rows, cols] = lastAxisRows(yPred.shape, yPred.size);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      out[r] = argmaxRow(yTrue.data, r * cols, cols) === argmaxRow(yPred.data, r * cols, cols) ? 1 : 0;
    }
    return out;
  }

  getConfig(): MetricConfig {
    return { type: 'CategoricalAccuracy', name: this.name };
  }
}

export const sparseCategoricalAccuracySchema = z
  .object({ type: z.literal('SparseCategoricalAccuracy'), name: metricNameSchema.optional() })
  .strict();
export type SparseCategoricalAccuracyConfig = z.input<typeof sparseCategoricalAccuracySchema>;

/** How often argmax(yPred) equals an integer label (Keras SparseCategoricalAccuracy). */
export class SparseCategoricalAccuracy extends MeanMetric {
  constructor(config: Omit<SparseCategoricalAccuracyConfig, 'type'> = {}) {
    const c = parseConfig(sparseCategoricalAccuracySchema, { ...config, type: 'SparseCategoricalAccuracy' });
    super(c.name ?? 'sparse_categorical_accuracy');
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    const [rows, cols] = sparseRows(this.name, yTrue, yPred);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = yTrue.data[r] === argmaxRow(yPred.data, r * cols, cols) ? 1 : 0;
    return out;
  }

  getConfig(): MetricConfig {
    return { type: 'SparseCategoricalAccuracy', name: this.name };
  }
}

/** Rows and classes for integer labels: one label per row of yPred (yTrue `[batch]` or `[batch, 1]`...). */
export function sparseRows(metric: string, yTrue: Tensor, yPred: Tensor): [rows: number, cols: number] {
  const cols = yPred.shape.length === 0 ? 1 : yPred.shape[yPred.shape.length - 1]!;
  const rows = cols === 0 ? 0 : yPred.size / cols;
  if (yTrue.size !== rows) {
    throw new DataError(
      `metric ${metric}: integer labels ${formatShape(yTrue.shape, false)} need one value per row of y_pred ${formatShape(yPred.shape, false)}`,
    );
  }
  return [rows, cols];
}
