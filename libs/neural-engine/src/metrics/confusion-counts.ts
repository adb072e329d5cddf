import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { metricNameSchema, meanOf } from './common.js';
import { ConfusionMatrix, isEvenlyDistributed, thresholdList, thresholdsSchema } from './confusion-matrix.js';
import type { MetricConfig } from './metric.js';
import type { VectorMetric } from './vector-metric.js';

type Condition = 'tp' | 'fp' | 'tn' | 'fn';

function countSchema<T extends string>(type: T) {
  return z
    .object({ type: z.literal(type), name: metricNameSchema.optional(), thresholds: thresholdsSchema.nullable().optional() })
    .strict();
}

/** Config of TruePositives, TrueNegatives, FalsePositives and FalseNegatives. */
export interface ConfusionCountConfig {
  name?: string | undefined;
  /** One threshold or a list (default 0.5); a prediction is positive when above it. */
  thresholds?: number | number[] | null | undefined;
}

/**
 * Weighted count of one confusion-matrix condition at each threshold (Keras _ConfusionMatrixConditionCount). With
 * several thresholds Keras returns a vector: `resultVector()` gives it and `result()` its mean.
 */
abstract class ConfusionCount implements VectorMetric {
  abstract readonly className: string;
  readonly name: string;
  private readonly initThresholds: number | number[] | null;
  private readonly matrix: ConfusionMatrix;

  constructor(
    schema: z.ZodObject,
    type: string,
    defaultName: string,
    private readonly condition: Condition,
    config: ConfusionCountConfig,
  ) {
    const c = parseConfig(schema, { ...config, type }) as ConfusionCountConfig;
    this.name = c.name ?? defaultName;
    this.initThresholds = c.thresholds ?? null;
    const thresholds = thresholdList(c.thresholds, 0.5);
    this.matrix = new ConfusionMatrix(this.name, { thresholds, clip: isEvenlyDistributed(thresholds) });
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    this.matrix.update(yTrue, yPred, sampleWeight);
  }

  resultVector(): Float64Array {
    return Float64Array.from(this.matrix[this.condition]);
  }

  result(): number {
    return meanOf(this.matrix[this.condition]);
  }

  reset(): void {
    this.matrix.reset();
  }

  getConfig(): MetricConfig {
    return { type: this.className, name: this.name, thresholds: this.initThresholds };
  }
}

export const truePositivesSchema = countSchema('TruePositives');
/** Weighted number of true positives: label 1, prediction above the threshold (Keras TruePositives). */
export class TruePositives extends ConfusionCount {
  readonly className = 'TruePositives';
  constructor(config: ConfusionCountConfig = {}) {
    super(truePositivesSchema, 'TruePositives', 'true_positives', 'tp', config);
  }
}

export const trueNegativesSchema = countSchema('TrueNegatives');
/** Weighted number of true negatives: label 0, prediction at or below the threshold (Keras TrueNegatives). */
export class TrueNegatives extends ConfusionCount {
  readonly className = 'TrueNegatives';
  constructor(config: ConfusionCountConfig = {}) {
    super(trueNegativesSchema, 'TrueNegatives', 'true_negatives', 'tn', config);
  }
}

export const falsePositivesSchema = countSchema('FalsePositives');
/** Weighted number of false positives: label 0, prediction above the threshold (Keras FalsePositives). */
export class FalsePositives extends ConfusionCount {
  readonly className = 'FalsePositives';
  constructor(config: ConfusionCountConfig = {}) {
    super(falsePositivesSchema, 'FalsePositives', 'false_positives', 'fp', config);
  }
}

export const falseNegativesSchema = countSchema('FalseNegatives');
/** Weighted number of false negatives: label 1, prediction at or below the threshold (Keras FalseNegatives). */
export class FalseNegatives extends ConfusionCount {
  readonly className = 'FalseNegatives';
  constructor(config: ConfusionCountConfig = {}) {
    super(falseNegativesSchema, 'FalseNegatives', 'false_negatives', 'fn', config);
  }
}
