import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { checkSameSize, lastAxisRows, metricNameSchema } from './common.js';
import { MeanMetric } from './mean-metric.js';
import type { MetricConfig } from './metric.js';

export const accuracySchema = z.object({ type: z.literal('Accuracy'), name: metricNameSchema.optional() }).strict();
export type AccuracyConfig = z.input<typeof accuracySchema>;

/** How often predictions exactly equal labels (Keras Accuracy), averaged over the last axis of each sample. */
export class Accuracy extends MeanMetric {
  constructor(config: Omit<AccuracyConfig, 'type'> = {}) {
    const c = parseConfig(accuracySchema, { ...config, type: 'Accuracy' });
    super(c.name ?? 'accuracy');
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    checkSameSize(this.name, yTrue, yPred);
    return rowMeans(yPred, (i) => (yTrue.data[i] === yPred.data[i] ? 1 : 0));
  }

  getConfig(): MetricConfig {
    return { type: 'Accuracy', name: this.name };
  }
}

export const binaryAccuracySchema = z
  .object({
    type: z.literal('BinaryAccuracy'),
    name: metricNameSchema.optional(),
    /** Predictions above it count as 1; Keras requires it strictly inside (0, 1). */
    threshold: z.number().gt(0).lt(1).optional(),
  })
  .strict();
export type BinaryAccuracyConfig = z.input<typeof binaryAccuracySchema>;

/** How often `yPred > threshold` matches 0/1 labels (Keras BinaryAccuracy). */
export class BinaryAccuracy extends MeanMetric {
  readonly threshold: number;

  constructor(config: Omit<BinaryAccuracyConfig, 'type'> = {}) {
    const c = parseConfig(binaryAccuracySchema, { ...config, type: 'BinaryAccuracy' });
    super(c.name ?? 'binary_accuracy');
    this.threshold = c.threshold ?? 0.5;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    checkSameSize(this.name, yTrue, yPred);
    const t = this.threshold;
    return rowMeans(yPred, (i) => (yTrue.data[i] === (yPred.data[i]! > t ? 1 : 0) ? 1 : 0));
  }

  getConfig(): MetricConfig {
    return { type: 'BinaryAccuracy', name: this.name, threshold: this.threshold };
  }
}

/** Mean of `f(i)` over the last axis of `t`, one value per row. */
function rowMeans(t: Tensor, f: (i: number) => number): Float64Array {
  const [rows, cols] = lastAxisRows(t.shape, t.size);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += f(r * cols + c);
    out[r] = sum / cols;
  }
  return out;
}
