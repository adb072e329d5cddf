import { z } from 'zod';
import { nonNegativeInt, parseConfig } from '../config.js';
import { DataError } from '../errors.js';
import { type Tensor, formatShape } from '../tensor.js';
import { batchSize, checkSameSize, checkSampleWeight, metricNameSchema, meanOf } from './common.js';
import type { MetricConfig } from './metric.js';
import type { VectorMetric } from './vector-metric.js';

export const r2ScoreSchema = z
  .object({
    type: z.literal('R2Score'),
    name: metricNameSchema.optional(),
    classAggregation: z.enum(['uniform_average', 'variance_weighted_average']).nullable().optional(),
    /** Independent regressors for the adjusted R²; 0 is the plain score. */
    numRegressors: nonNegativeInt.optional(),
  })
  .strict();
export type R2ScoreConfig = Omit<z.input<typeof r2ScoreSchema>, 'type'>;

/**
 * Coefficient of determination 1 - SS_res / SS_tot per output of 2-D (batch, outputs) inputs, from running weighted
 * sums (Keras R2Score). `classAggregation` picks result(): the plain mean, the variance-weighted mean, or with `null`
 * (where Keras returns the vector) the plain mean; `resultVector()` always gives the per-output scores.
 */
export class R2Score implements VectorMetric {
  readonly name: string;
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average' | null;
  readonly numRegressors: number;
  private sum = new Float64Array(0);
  private squaredSum = new Float64Array(0);
  private residual = new Float64Array(0);
  private count = new Float64Array(0);
  private numSamples = 0;

  constructor(config: R2ScoreConfig = {}) {
    const c = parseConfig(r2ScoreSchema, { ...config, type: 'R2Score' });
    this.name = c.name ?? 'r2_score';
    this.classAggregation = c.classAggregation === undefined ? 'uniform_average' : c.classAggregation;
    this.numRegressors = c.numRegressors ?? 0;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    checkSameSize(this.name, yTrue, yPred);
    const shape = yPred.shape.length === 1 ? [yPred.shape[0]!, 1] : yPred.shape;
    if (shape.length !== 2) throw new DataError(`metric ${this.name} expects inputs of shape (batch, outputs), received ${formatShape(yPred.shape, false)}`);
    const [rows, cols] = shape as [number, number];
    const weights = checkSampleWeight(this.name, sampleWeight, batchSize(yPred));
    if (this.sum.length !== cols) {
      if (this.numSamples !== 0) throw new DataError(`metric ${this.name}: y_pred changed from ${this.sum.length} to ${cols} outputs`);
      this.sum = new Float64Array(cols);
      this.squaredSum = new Float64Array(cols);
      this.residual = new Float64Array(cols);
      this.count = new Float64Array(cols);
    }
    for (let r = 0; r < rows; r++) {
      const w = weights ? weights[r]! : 1;
      for (let c = 0; c < cols; c++) {
        const y = yTrue.data[r * cols + c]!;
        const p = yPred.data[r * cols + c]!;
        this.sum[c]! += w * y;
        this.squaredSum[c]! += w * y * y;
        this.residual[c]! += w * (y - p) ** 2;
        this.count[c]! += w;
      }
    }
    // Keras counts values (ops.size(y_true)), not rows, for the adjusted score.
    this.numSamples += rows * cols;
  }

  /** Raw per-output scores: 1 - SS_res / SS_tot, infinite ones (constant target, nonzero error) set to 0 as in Keras. */
  private rawScores(): { scores: Float64Array; totals: Float64Array } {
    const totals = Float64Array.from(this.sum, (s, c) => this.squaredSum[c]! - (s * s) / this.count[c]!);
    const scores = Float64Array.from(totals, (t, c) => {
      const v = 1 - this.residual[c]! / t;
      return Number.isFinite(v) || Number.isNaN(v) ? v : 0;
    });
    return { scores, totals };
  }

  /** Adjusted R² 1 - (1 - R²)(n - 1)/(n - p - 1) when numRegressors is set and n > p + 1 (else Keras falls back). */
  private adjust(score: number): number {
    const n = this.numSamples;
    const p = this.numRegressors;
    if (p === 0 || p >= n - 1) return score;
    return 1 - ((1 - score) * (n - 1)) / (n - p - 1);
  }

  resultVector(): Float64Array {
    return this.rawScores().scores.map((s) => this.adjust(s));
  }

  result(): number {
    if (this.numSamples === 0) return 0;
    const { scores, totals } = this.rawScores();
    let score: number;
    if (this.classAggregation === 'variance_weighted_average') {
      let num = 0;
      let den = 0;
      for (let c = 0; c < scores.length; c++) {
        num += totals[c]! * scores[c]!;
        den += totals[c]!;
      }
      score = num / den;
    } else {
      score = meanOf(scores);
    }
    return this.adjust(score);
  }

  reset(): void {
    for (const a of [this.sum, this.squaredSum, this.residual, this.count]) a.fill(0);
    this.numSamples = 0;
  }

  getConfig(): MetricConfig {
    return { type: 'R2Score', name: this.name, classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}
