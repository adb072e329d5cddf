import { z } from 'zod';
import { DataError } from '../errors.js';
import { type Tensor, formatShape } from '../tensor.js';
import { batchSize, checkSameSize, checkSampleWeight, lastAxisRows } from './common.js';

/** Keras metrics_utils.NEG_INF: the value top-k filtering gives to predictions outside the top k. */
export const NEG_INF = -1e10;

/** A threshold list argument (Keras `thresholds`): one value or a list, each in [0, 1]. */
export const thresholdsSchema = z.union([z.number().min(0).max(1), z.array(z.number().min(0).max(1)).min(1)]);

/** What a confusion-matrix update counts. */
export interface ConfusionOptions {
  /** Decision thresholds, any order: a prediction is positive at t when `prediction > t`. */
  readonly thresholds: readonly number[];
  /** Keep only the k highest predictions of each row (the rest become NEG_INF) before thresholding. */
  readonly topK?: number | null;
  /** Count only this class (index on the last axis). */
  readonly classId?: number | null;
  /** Clip predictions to [0, 1] first (Keras does so on its evenly-spaced-thresholds path: AUC and the *At* metrics). */
  readonly clip?: boolean;
  /** Keep one column of counts per label (last axis) instead of flattening every prediction into one label. */
  readonly multiLabel?: boolean;
  /** Per-label weights (last axis) multiplied into the sample weights of the flattened data. */
  readonly labelWeights?: readonly number[] | null;
  /** Map predictions before thresholding (AUC's sigmoid for logits). */
  readonly transform?: ((p: number) => number) | null;
}

/**
 * Weighted true/false positive/negative counts at each threshold (and, with multiLabel, each label), accumulated over
 * batches (Keras update_confusion_matrix_variables). Entry `t·labels + l` is threshold t, label l. Counting uses one
 * binary search per prediction over the sorted thresholds and a reverse cumulative sum, so it costs
 * O(n log T + T) rather than O(n·T) and gives exactly `prediction > threshold` for any threshold list.
 */
export class ConfusionMatrix {
  tp: Float64Array;
  fp: Float64Array;
  tn: Float64Array;
  fn: Float64Array;
  /** Columns of counts: 1, or the label count once a multi-label update has run. */
  labels = 1;
  private readonly order: number[];
  private readonly sorted: Float64Array;

  constructor(
    private readonly metric: string,
    private readonly options: ConfusionOptions,
  ) {
    const t = options.thresholds;
    this.order = t.map((_, i) => i).sort((a, b) => t[a]! - t[b]!);
    this.sorted = Float64Array.from(this.order, (i) => t[i]!);
    this.tp = new Float64Array(t.length);
    this.fp = new Float64Array(t.length);
    this.tn = new Float64Array(t.length);
    this.fn = new Float64Array(t.length);
  }

  get numThresholds(): number {
    return this.sorted.length;
  }

  reset(): void {
    for (const a of [this.tp, this.fp, this.tn, this.fn]) a.fill(0);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    const o = this.options;
    checkSameSize(this.metric, yTrue, yPred);
    const batch = batchSize(yPred);
    const weights = checkSampleWeight(this.metric, sampleWeight, batch);
    const [rows, cols] = lastAxisRows(yPred.shape, yPred.size);
    const perSample = batch === 0 ? 0 : yPred.size / batch;
    if (o.classId !== null && o.classId !== undefined && (yPred.shape.length < 2 || o.classId >= cols)) {
      throw new DataError(`metric ${this.metric}: classId ${o.classId} needs y_pred of shape (batch, classes > ${o.classId}), received ${formatShape(yPred.shape, false)}`);
    }
    if (o.labelWeights && o.labelWeights.length !== cols) {
      throw new DataError(`metric ${this.metric}: ${o.labelWeights.length} label weights for ${cols} labels`);
    }
    const labels = o.multiLabel ? cols : 1;
    if (o.multiLabel) {
      if (yPred.shape.length !== 2) {
        throw new DataError(`metric ${this.metric}: multiLabel needs y_pred of rank 2, received ${formatShape(yPred.shape, false)}`);
      }
      this.resize(labels);
    }

    const T = this.sorted.length;
    // Weight of positives / negatives whose prediction exceeds exactly k of the sorted thresholds, per label.
    const posBuckets = new Float64Array((T + 1) * labels);
    const negBuckets = new Float64Array((T + 1) * labels);
    const inTop = o.topK ? new Uint8Array(cols) : null;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      if (inTop) topKMask(yPred.data, base, cols, o.topK!, inTop);
      const sampleW = weights ? weights[Math.floor(base / perSample)]! : 1;
      for (let c = 0; c < cols; c++) {
        if (o.classId !== null && o.classId !== undefined && c !== o.classId) continue;
        const w = o.labelWeights ? sampleW * o.labelWeights[c]! : sampleW;
        let p = yPred.data[base + c]!;
        if (o.transform) p = o.transform(p);
        if (inTop && !inTop[c]) p = NEG_INF;
        if (o.clip) p = p < 0 ? 0 : p > 1 ? 1 : p;
        const k = countBelow(this.sorted, p);
        const l = o.multiLabel ? c : 0;
        if (yTrue.data[base + c] !== 0) posBuckets[k * labels + l]! += w;
        else negBuckets[k * labels + l]! += w;
      }
    }
    for (let l = 0; l < labels; l++) {
      let pos = 0;
      let neg = 0;
      let totalPos = 0;
      let totalNeg = 0;
      for (let k = 0; k <= T; k++) {
        totalPos += posBuckets[k * labels + l]!;
        totalNeg += negBuckets[k * labels + l]!;
      }
      // Walk thresholds from the highest down: predictions above sorted threshold s are those in buckets k > s.
      for (let s = T - 1; s >= 0; s--) {
        pos += posBuckets[(s + 1) * labels + l]!;
        neg += negBuckets[(s + 1) * labels + l]!;
        const at = this.order[s]! * labels + l;
        this.tp[at]! += pos;
        this.fp[at]! += neg;
        this.fn[at]! += totalPos - pos;
        this.tn[at]! += totalNeg - neg;
      }
    }
  }

  /** Sets the label count on the first multi-label update; a different count once counts exist is a data error. */
  private resize(labels: number): void {
    if (labels === this.labels) return;
    const counted = [this.tp, this.fp, this.tn, this.fn].some((a) => a.some((v) => v !== 0));
    if (counted) throw new DataError(`metric ${this.metric}: y_pred changed from ${this.labels} to ${labels} labels`);
    this.labels = labels;
    const n = this.sorted.length * labels;
    this.tp = new Float64Array(n);
    this.fp = new Float64Array(n);
    this.tn = new Float64Array(n);
    this.fn = new Float64Array(n);
  }
}

/** Number of sorted thresholds strictly below p (NaN is above none). */
function countBelow(sorted: Float64Array, p: number): number {
  if (Number.isNaN(p)) return 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Marks the k largest values of a row (ties go to the lower index, like top_k). */
function topKMask(data: ArrayLike<number>, base: number, cols: number, k: number, mask: Uint8Array): void {
  mask.fill(0);
  const picked = Math.min(k, cols);
  for (let n = 0; n < picked; n++) {
    let best = -1;
    for (let c = 0; c < cols; c++) {
      if (mask[c]) continue;
      if (best < 0 || data[base + c]! > data[base + best]!) best = c;
    }
    mask[best] = 1;
  }
}

/** Keras is_evenly_distributed_thresholds: at least 3 values equal to i/(n-1) within 1e-7. */
export function isEvenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  return thresholds.every((t, i) => Math.abs(t - i / (n - 1)) <= 1e-7 + 1e-5 * Math.abs(i / (n - 1)));
}

/** Thresholds argument as a list (a single number becomes one threshold). */
export function thresholdList(thresholds: number | readonly number[] | null | undefined, fallback: number): number[] {
  if (thresholds === null || thresholds === undefined) return [fallback];
  return typeof thresholds === 'number' ? [thresholds] : [...thresholds];
}
