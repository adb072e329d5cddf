import { z } from 'zod';
import { nonNegativeInt, parseConfig, positiveInt } from '../config.js';
import type { Tensor } from '../tensor.js';
import { divideNoNan, metricNameSchema, meanOf } from './common.js';
import { ConfusionMatrix, NEG_INF, isEvenlyDistributed, thresholdList, thresholdsSchema } from './confusion-matrix.js';
import type { MetricConfig } from './metric.js';
import type { VectorMetric } from './vector-metric.js';

function precisionRecallSchema<T extends string>(type: T) {
  return z
    .object({
      type: z.literal(type),
      name: metricNameSchema.optional(),
      thresholds: thresholdsSchema.nullable().optional(),
      topK: positiveInt.nullable().optional(),
      classId: nonNegativeInt.nullable().optional(),
    })
    .strict();
}

/** Config of Precision and Recall. */
export interface PrecisionRecallConfig {
  name?: string | undefined;
  /** One threshold or a list; default 0.5, or none (every top-k prediction counts) when topK is set. */
  thresholds?: number | number[] | null | undefined;
  /** Only the k highest predictions of each row can be positive. */
  topK?: number | null | undefined;
  /** Binary metric for this class (last-axis index) only. */
  classId?: number | null | undefined;
}

/** Shared state of Precision and Recall: TP plus FP or FN at each threshold. */
abstract class PrecisionRecallBase implements VectorMetric {
  abstract readonly className: string;
  readonly name: string;
  private readonly config: { thresholds: number | number[] | null; topK: number | null; classId: number | null };
  protected readonly matrix: ConfusionMatrix;

  constructor(schema: z.ZodObject, type: string, defaultName: string, config: PrecisionRecallConfig) {
    const c = parseConfig(schema, { ...config, type }) as PrecisionRecallConfig;
    this.name = c.name ?? defaultName;
    this.config = { thresholds: c.thresholds ?? null, topK: c.topK ?? null, classId: c.classId ?? null };
    const thresholds = thresholdList(c.thresholds, c.topK ? NEG_INF : 0.5);
    this.matrix = new ConfusionMatrix(this.name, {
      thresholds, topK: this.config.topK, classId: this.config.classId, clip: isEvenlyDistributed(thresholds),
    });
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    this.matrix.update(yTrue, yPred, sampleWeight);
  }

  /** The value at each threshold. */
  abstract resultVector(): Float64Array;

  /** The value at the threshold, or the mean over several thresholds (where Keras returns a vector). */
  result(): number {
    return meanOf(this.resultVector());
  }

  reset(): void {
    this.matrix.reset();
  }

  getConfig(): MetricConfig {
    return { type: this.className, name: this.name, ...this.config };
  }
}

export const precisionSchema = precisionRecallSchema('Precision');
/** TP / (TP + FP): how many predicted positives are right (Keras Precision; 0 when nothing was predicted positive). */
export class Precision extends PrecisionRecallBase {
  readonly className = 'Precision';
  constructor(config: PrecisionRecallConfig = {}) {
    super(precisionSchema, 'Precision', 'precision', config);
  }

  resultVector(): Float64Array {
    const { tp, fp } = this.matrix;
    return Float64Array.from(tp, (t, i) => divideNoNan(t, t + fp[i]!));
  }
}

export const recallSchema = precisionRecallSchema('Recall');
/** TP / (TP + FN): how many actual positives are found (Keras Recall; 0 when there were no positives). */
export class Recall extends PrecisionRecallBase {
  readonly className = 'Recall';
  constructor(config: PrecisionRecallConfig = {}) {
    super(recallSchema, 'Recall', 'recall', config);
  }

  resultVector(): Float64Array {
    const { tp, fn } = this.matrix;
    return Float64Array.from(tp, (t, i) => divideNoNan(t, t + fn[i]!));
  }
}
