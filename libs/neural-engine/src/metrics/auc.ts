import { z } from 'zod';
import { parseConfig, positiveInt } from '../config.js';
import type { Tensor } from '../tensor.js';
import { EPSILON, divideNoNan, metricNameSchema } from './common.js';
import { ConfusionMatrix, isEvenlyDistributed } from './confusion-matrix.js';
import type { Metric, MetricConfig } from './metric.js';

export const aucSchema = z
  .object({
    type: z.literal('AUC'),
    name: metricNameSchema.optional(),
    /** Thresholds evenly spaced over [0, 1]; more approximate the true AUC better. */
    numThresholds: z.number().int().gt(1).optional(),
    curve: z.enum(['ROC', 'PR']).optional(),
    summationMethod: z.enum(['interpolation', 'minoring', 'majoring']).optional(),
    /** Explicit thresholds in [0, 1] (numThresholds is then ignored); -ε and 1+ε are added around them. */
    thresholds: z.array(z.number().min(0).max(1)).nullable().optional(),
    /** One AUC per label (last axis), averaged; otherwise every prediction is one binary decision. */
    multiLabel: z.boolean().optional(),
    numLabels: positiveInt.nullable().optional(),
    labelWeights: z.array(z.number().nonnegative()).nullable().optional(),
    /** Predictions are logits: a sigmoid is applied first. */
    fromLogits: z.boolean().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.numLabels && !c.multiLabel) {
      ctx.addIssue({ code: 'custom', message: 'numLabels is needed only when multiLabel is true', path: ['numLabels'], input: c.numLabels });
    }
  });
export type AUCConfig = Omit<z.input<typeof aucSchema>, 'type'>;

/**
 * Area under the ROC or precision-recall curve, approximated from confusion counts at fixed thresholds (Keras AUC):
 * ROC by the trapezoidal rule, PR by Davis & Goadrich interpolation of TP and FP between thresholds.
 */
export class AUC implements Metric {
  readonly name: string;
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly multiLabel: boolean;
  readonly fromLogits: boolean;
  /** The thresholds used, with the -ε and 1+ε endpoints. */
  readonly thresholds: readonly number[];
  private readonly initThresholds: number[] | null;
  private readonly numLabels: number | null;
  private readonly labelWeights: number[] | null;
  private readonly matrix: ConfusionMatrix;

  constructor(config: AUCConfig = {}) {
    const c = parseConfig(aucSchema, { ...config, type: 'AUC' });
    this.name = c.name ?? 'auc';
    this.curve = c.curve ?? 'ROC';
    this.summationMethod = c.summationMethod ?? 'interpolation';
    this.multiLabel = c.multiLabel ?? false;
    this.fromLogits = c.fromLogits ?? false;
    this.numLabels = c.numLabels ?? null;
    this.labelWeights = c.labelWeights ?? null;
    this.initThresholds = c.thresholds ?? null;
    let inner: number[];
    let even: boolean;
    if (c.thresholds) {
      inner = [...c.thresholds].sort((a, b) => a - b);
      even = isEvenlyDistributed([0, ...inner, 1]);
    } else {
      const n = c.numThresholds ?? 200;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      even = true;
    }
    this.numThresholds = inner.length + 2;
    // Endpoints just outside [0, 1] so predictions of exactly 0 or 1 fall inside the curve.
    this.thresholds = [-EPSILON, ...inner, 1 + EPSILON];
    this.matrix = new ConfusionMatrix(this.name, {
      thresholds: this.thresholds,
      clip: even,
      multiLabel: this.multiLabel,
      // With multiLabel the label weights average the per-label AUCs instead (see result).
      labelWeights: this.multiLabel ? null : this.labelWeights,
      transform: this.fromLogits ? (x) => 1 / (1 + Math.exp(-x)) : null,
    });
  }


  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    this.matrix.update(yTrue, yPred, sampleWeight);
  }

  result(): number {
    const L = this.matrix.labels;
    const perLabel = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      perLabel[l] = this.curve === 'PR' && this.summationMethod === 'interpolation' ? this.interpolatedPrAuc(l) : this.riemannAuc(l);
    }
    if (!this.multiLabel) return perLabel[0]!;
    if (!this.labelWeights) return perLabel.reduce((a, b) => a + b, 0) / L;
    let num = 0;
    let den = 0;
    for (let l = 0; l < L; l++) {
      num += perLabel[l]! * (this.labelWeights[l] ?? 0);
      den += this.labelWeights[l] ?? 0;
    }
    return divideNoNan(num, den);
  }

  /** Riemann sum of the ROC (x = FPR, y = TPR) or PR (x = recall, y = precision) curve for one label. */
  private riemannAuc(l: number): number {
    const { tp, fp, tn, fn, labels } = this.matrix;
    const x = new Float64Array(this.numThresholds);
    const y = new Float64Array(this.numThresholds);
    for (let t = 0; t < this.numThresholds; t++) {
      const i = t * labels + l;
      const recall = divideNoNan(tp[i]!, tp[i]! + fn[i]!);
      if (this.curve === 'ROC') {
        x[t] = divideNoNan(fp[i]!, fp[i]! + tn[i]!);
        y[t] = recall;
      } else {
        x[t] = recall;
        y[t] = divideNoNan(tp[i]!, tp[i]! + fp[i]!);
      }
    }
    let area = 0;
    for (let t = 0; t + 1 < this.numThresholds; t++) {
      const a = y[t]!;
      const b = y[t + 1]!;
      const height = this.summationMethod === 'interpolation' ? (a + b) / 2 : this.summationMethod === 'minoring' ? Math.min(a, b) : Math.max(a, b);
      area += (x[t]! - x[t + 1]!) * height;
    }
    return area;
  }

  /**
   * PR-AUC with TP and P = TP + FP varying linearly between thresholds (Davis & Goadrich 2006, Keras
   * interpolate_pr_auc): each interval adds slope·(ΔTP + intercept·log(P_A / P_B)) / (TP_B + FN_B).
   */
  private interpolatedPrAuc(l: number): number {
    const { tp, fp, fn, labels } = this.matrix;
    let area = 0;
    for (let t = 0; t + 1 < this.numThresholds; t++) {
      const a = t * labels + l;
      const b = (t + 1) * labels + l;
      const dtp = tp[a]! - tp[b]!;
      const pA = tp[a]! + fp[a]!;
      const pB = tp[b]! + fp[b]!;
      const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      const intercept = tp[b]! - slope * pB;
      const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
      area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[b]! + fn[b]!, 0));
    }
    return area;
  }

  reset(): void {
    this.matrix.reset();
  }

  getConfig(): MetricConfig {
    const config: MetricConfig = {
      type: 'AUC',
      name: this.name,
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
      multiLabel: this.multiLabel,
      numLabels: this.numLabels,
      labelWeights: this.labelWeights,
      fromLogits: this.fromLogits,
    };
    if (this.initThresholds) config.thresholds = [...this.initThresholds];
    return config;
  }
}
