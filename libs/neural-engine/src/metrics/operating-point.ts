import { z } from 'zod';
import { nonNegativeInt, parseConfig, positiveInt } from '../config.js';
import type { Tensor } from '../tensor.js';
import { divideNoNan, metricNameSchema } from './common.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import type { Metric, MetricConfig } from './metric.js';

/*
 * Keras SensitivitySpecificityBase and its four metrics: the best value of one rate among the thresholds where
 * another rate reaches a target (e.g. the best recall with precision >= 0.8).
 */

type Rate = 'sensitivity' | 'specificity' | 'precision';

/** Thresholds of the *At* metrics: 0, (i+1)/(n-1)..., 1; a single threshold is 0.5. */
function evenThresholds(numThresholds: number): number[] {
  if (numThresholds === 1) return [0.5];
  const t = [0];
  for (let i = 0; i < numThresholds - 2; i++) t.push((i + 1) / (numThresholds - 1));
  t.push(1);
  return t;
}

function atSchema<T extends string, K extends string>(type: T, target: K) {
  return z
    .object({
      type: z.literal(type),
      name: metricNameSchema.optional(),
      numThresholds: positiveInt.optional(),
      classId: nonNegativeInt.nullable().optional(),
    })
    .extend({ [target]: z.number().min(0).max(1) } as Record<K, z.ZodNumber>)
    .strict();
}

/** Arguments shared by the four *At* metrics besides their target value. */
export interface OperatingPointOptions {
  name?: string | undefined;
  /** Thresholds evenly spaced over [0, 1] to search (default 200). */
  numThresholds?: number | undefined;
  /** Binary metric for this class (last-axis index) only. */
  classId?: number | null | undefined;
}

/** Best `dependent` rate over thresholds where the `constrained` rate is >= the target (0 when none is). */
abstract class OperatingPointMetric implements Metric {
  abstract readonly className: string;
  readonly name: string;
  readonly numThresholds: number;
  readonly classId: number | null;
  private readonly matrix: ConfusionMatrix;

  constructor(
    defaultName: string,
    private readonly targetKey: string,
    readonly target: number,
    options: OperatingPointOptions,
    private readonly constrained: Rate,
    private readonly dependent: Rate,
  ) {
    this.name = options.name ?? defaultName;
    this.numThresholds = options.numThresholds ?? 200;
    this.classId = options.classId ?? null;
    // Keras clips predictions to [0, 1] on its evenly-spaced path.
    this.matrix = new ConfusionMatrix(this.name, { thresholds: evenThresholds(this.numThresholds), classId: this.classId, clip: true });
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    this.matrix.update(yTrue, yPred, sampleWeight);
  }

  result(): number {
    let best = 0;
    for (let t = 0; t < this.matrix.numThresholds; t++) {
      if (this.rate(this.constrained, t) >= this.target) best = Math.max(best, this.rate(this.dependent, t));
    }
    return best;
  }

  private rate(rate: Rate, t: number): number {
    const { tp, fp, tn, fn } = this.matrix;
    if (rate === 'sensitivity') return divideNoNan(tp[t]!, tp[t]! + fn[t]!);
    if (rate === 'specificity') return divideNoNan(tn[t]!, tn[t]! + fp[t]!);
    return divideNoNan(tp[t]!, tp[t]! + fp[t]!);
  }

  reset(): void {
    this.matrix.reset();
  }

  getConfig(): MetricConfig {
    return {
      type: this.className, name: this.name, [this.targetKey]: this.target, numThresholds: this.numThresholds, classId: this.classId,
    };
  }
}

export const sensitivityAtSpecificitySchema = atSchema('SensitivityAtSpecificity', 'specificity');
export type SensitivityAtSpecificityConfig = Omit<z.input<typeof sensitivityAtSpecificitySchema>, 'type'>;

/** Best sensitivity (recall) where specificity >= `specificity` (Keras SensitivityAtSpecificity). */
export class SensitivityAtSpecificity extends OperatingPointMetric {
  readonly className = 'SensitivityAtSpecificity';
  constructor(config: SensitivityAtSpecificityConfig) {
    const c = parseConfig(sensitivityAtSpecificitySchema, { ...config, type: 'SensitivityAtSpecificity' });
    super('sensitivity_at_specificity', 'specificity', c.specificity, c, 'specificity', 'sensitivity');
  }
}

export const specificityAtSensitivitySchema = atSchema('SpecificityAtSensitivity', 'sensitivity');
export type SpecificityAtSensitivityConfig = Omit<z.input<typeof specificityAtSensitivitySchema>, 'type'>;

/** Best specificity where sensitivity >= `sensitivity` (Keras SpecificityAtSensitivity). */
export class SpecificityAtSensitivity extends OperatingPointMetric {
  readonly className = 'SpecificityAtSensitivity';
  constructor(config: SpecificityAtSensitivityConfig) {
    const c = parseConfig(specificityAtSensitivitySchema, { ...config, type: 'SpecificityAtSensitivity' });
    super('specificity_at_sensitivity', 'sensitivity', c.sensitivity, c, 'sensitivity', 'specificity');
  }
}

export const precisionAtRecallSchema = atSchema('PrecisionAtRecall', 'recall');
export type PrecisionAtRecallConfig = Omit<z.input<typeof precisionAtRecallSchema>, 'type'>;

/** Best precision where recall >= `recall` (Keras PrecisionAtRecall). */
export class PrecisionAtRecall extends OperatingPointMetric {
  readonly className = 'PrecisionAtRecall';
  constructor(config: PrecisionAtRecallConfig) {
    const c = parseConfig(precisionAtRecallSchema, { ...config, type: 'PrecisionAtRecall' });
    super('precision_at_recall', 'recall', c.recall, c, 'sensitivity', 'precision');
  }
}

export const recallAtPrecisionSchema = atSchema('RecallAtPrecision', 'precision');
export type RecallAtPrecisionConfig = Omit<z.input<typeof recallAtPrecisionSchema>, 'type'>;

/** Best recall where precision >= `precision`; 0 when that precision is never reached (Keras RecallAtPrecision). */
export class RecallAtPrecision extends OperatingPointMetric {
  readonly className = 'RecallAtPrecision';
  constructor(config: RecallAtPrecisionConfig) {
    const c = parseConfig(recallAtPrecisionSchema, { ...config, type: 'RecallAtPrecision' });
    super('recall_at_precision', 'precision', c.precision, c, 'precision', 'sensitivity');
  }
}
