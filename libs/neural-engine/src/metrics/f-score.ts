import { z } from 'zod';
import { parseConfig } from '../config.js';
import { DataError } from '../errors.js';
import { type Tensor, formatShape } from '../tensor.js';
import { EPSILON, batchSize, checkSameSize, checkSampleWeight, metricNameSchema, meanOf } from './common.js';
import type { MetricConfig } from './metric.js';
import type { VectorMetric } from './vector-metric.js';

const averageSchema = z.enum(['micro', 'macro', 'weighted']).nullable();
/** Keras: predictions above it are 1; when null, the row's argmax is 1. */
const fThresholdSchema = z.number().gt(0).max(1).nullable();

export const fBetaScoreSchema = z
  .object({
    type: z.literal('FBetaScore'),
    name: metricNameSchema.optional(),
    average: averageSchema.optional(),
    beta: z.number().gt(0).optional(),
    threshold: fThresholdSchema.optional(),
  })
  .strict();
export type FBetaScoreConfig = Omit<z.input<typeof fBetaScoreSchema>, 'type'>;

export const f1ScoreSchema = z
  .object({
    type: z.literal('F1Score'),
    name: metricNameSchema.optional(),
    average: averageSchema.optional(),
    threshold: fThresholdSchema.optional(),
  })
  .strict();
export type F1ScoreConfig = Omit<z.input<typeof f1ScoreSchema>, 'type'>;

/**
 * F-beta score (1 + β²)·P·R / (β²·P + R) over classes of 2-D (batch, classes) inputs (Keras FBetaScore). With
 * `average: null` Keras returns one score per class: `resultVector()` gives it and `result()` its mean; `micro`,
 * `macro` and `weighted` (by support) make result() the Keras scalar.
 */
export class FBetaScore implements VectorMetric {
  readonly name: string;
  readonly average: 'micro' | 'macro' | 'weighted' | null;
  readonly beta: number;
  readonly threshold: number | null;
  private tp = new Float64Array(0);
  private fp = new Float64Array(0);
  private fn = new Float64Array(0);
  private support = new Float64Array(0);
  private classes = 0;

  constructor(config: FBetaScoreConfig = {}) {
    const c = parseConfig(fBetaScoreSchema, { ...config, type: 'FBetaScore' });
    this.name = c.name ?? 'fbeta_score';
    this.average = c.average ?? null;
    this.beta = c.beta ?? 1;
    this.threshold = c.threshold ?? null;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    checkSameSize(this.name, yTrue, yPred);
    if (yPred.shape.length !== 2) {
      throw new DataError(`metric ${this.name} expects inputs of shape (batch, classes), received ${formatShape(yPred.shape, false)}`);
    }
    const [rows, cols] = yPred.shape as [number, number];
    const weights = checkSampleWeight(this.name, sampleWeight, batchSize(yPred));
    this.build(cols);
    // micro averaging pools every class into one count.
    const micro = this.average === 'micro';
    for (let r = 0; r < rows; r++) {
      const w = weights ? weights[r]! : 1;
      let max = -Infinity;
      if (this.threshold === null) for (let c = 0; c < cols; c++) max = Math.max(max, yPred.data[r * cols + c]!);
      for (let c = 0; c < cols; c++) {
        const p = yPred.data[r * cols + c]!;
        // Without a threshold the row maximum is the prediction; |p| > 1e-9 keeps an all-zero row all-negative.
        const predicted = this.threshold === null ? p >= max && Math.abs(p) > 1e-9 : p > this.threshold;
        const y = yTrue.data[r * cols + c]!;
        const k = micro ? 0 : c;
        const pr = predicted ? 1 : 0;
        this.tp[k]! += w * pr * y;
        this.fp[k]! += w * pr * (1 - y);
        this.fn[k]! += w * (1 - pr) * y;
        this.support[k]! += w * y;
      }
    }
  }

  private build(cols: number): void {
    if (this.classes === cols) return;
    if (this.classes !== 0) throw new DataError(`metric ${this.name}: y_pred changed from ${this.classes} to ${cols} classes`);
    this.classes = cols;
    const n = this.average === 'micro' ? 1 : cols;
    this.tp = new Float64Array(n);
    this.fp = new Float64Array(n);
    this.fn = new Float64Array(n);
    this.support = new Float64Array(n);
  }

  /** Per-class scores (one pooled score with `micro`). Empty before the first update. */
  resultVector(): Float64Array {
    const b2 = this.beta * this.beta;
    return Float64Array.from(this.tp, (tp, k) => {
      const precision = tp / (tp + this.fp[k]! + EPSILON);
      const recall = tp / (tp + this.fn[k]! + EPSILON);
      return ((1 + b2) * precision * recall) / (b2 * precision + recall + EPSILON);
    });
  }

  result(): number {
    const scores = this.resultVector();
    if (this.average !== 'weighted') return meanOf(scores);
    let total = 0;
    for (const s of this.support) total += s;
    let sum = 0;
    for (let k = 0; k < scores.length; k++) sum += (scores[k]! * this.support[k]!) / (total + EPSILON);
    return sum;
  }

  reset(): void {
    for (const a of [this.tp, this.fp, this.fn, this.support]) a.fill(0);
  }

  getConfig(): MetricConfig {
    return { type: 'FBetaScore', name: this.name, average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/** F1 score: FBetaScore with β = 1 (Keras F1Score). */
export class F1Score extends FBetaScore {
  constructor(config: F1ScoreConfig = {}) {
    const c = parseConfig(f1ScoreSchema, { ...config, type: 'F1Score' });
    super({ name: c.name ?? 'f1_score', average: c.average ?? null, beta: 1, threshold: c.threshold ?? null });
  }

  override getConfig(): MetricConfig {
    return { type: 'F1Score', name: this.name, average: this.average, threshold: this.threshold };
  }
}
