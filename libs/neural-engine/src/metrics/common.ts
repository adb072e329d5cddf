import { z } from 'zod';
import { DataError } from '../errors.js';
import { type Shape, type Tensor, formatShape } from '../tensor.js';

/*
 * Shape and weighting helpers shared by every metric. Metrics never need gradients, so they read tensor storage
 * directly and keep their state in plain numbers and Float64Array scratch.
 */

/** Keras `backend.epsilon()`: the fuzz factor of clipping and of precision/recall denominators. */
export const EPSILON = 1e-7;

/** The `name` argument every metric accepts (the key used in logs and history). */
export const metricNameSchema = z.string().min(1).max(128);

/** Number of samples in a batch: the first axis (a scalar counts as one sample). */
export function batchSize(t: Tensor): number {
  return t.shape.length === 0 ? 1 : t.shape[0]!;
}

/**
 * A tensor seen as rows over its last axis. Unlike `asMatrix`, a rank-1 tensor `[batch]` is one value per sample
 * (`[batch, 1]`), which is what a metric means by a vector of per-sample predictions.
 */
export function lastAxisRows(shape: Shape, size: number): [rows: number, cols: number] {
  if (shape.length <= 1) return [size, 1];
  const cols = shape[shape.length - 1]!;
  return [cols === 0 ? 0 : size / cols, cols];
}

/** Throws a DataError unless yTrue and yPred hold the same number of values (Keras squeezes/expands ranks freely). */
export function checkSameSize(metric: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.size !== yPred.size) {
    throw new DataError(
      `metric ${metric}: y_true ${formatShape(yTrue.shape, false)} and y_pred ${formatShape(yPred.shape, false)} must hold the same number of values`,
    );
  }
}

/** Validates sample weights (one finite value per sample) and returns them, or null when absent. */
export function checkSampleWeight(metric: string, sampleWeight: ArrayLike<number> | null | undefined, batch: number): ArrayLike<number> | null {
  if (sampleWeight === null || sampleWeight === undefined) return null;
  if (sampleWeight.length !== batch) {
    throw new DataError(`metric ${metric}: sample weights need one value per sample (${batch}), received ${sampleWeight.length}`);
  }
  return sampleWeight;
}

/** Running weighted mean (Keras `Mean`): `total / count`, 0 when nothing (or only zero weight) was seen. */
export class WeightedMean {
  total = 0;
  count = 0;

  /**
   * Adds per-row values grouped by sample (`values.length` is a multiple of `batch`): each sample contributes the
   * mean of its rows, weighted by its sample weight (Keras reduce_to_samplewise_values).
   */
  addRows(values: ArrayLike<number>, batch: number, sampleWeight: ArrayLike<number> | null): void {
    if (batch === 0) return;
    if (values.length % batch !== 0) throw new DataError(`${values.length} metric values cannot be split over ${batch} samples`);
    const perSample = values.length / batch;
    for (let s = 0; s < batch; s++) {
      let sum = 0;
      for (let r = 0; r < perSample; r++) sum += values[s * perSample + r]!;
      const mean = perSample === 0 ? 0 : sum / perSample;
      const w = sampleWeight ? sampleWeight[s]! : 1;
      this.total += mean * w;
      this.count += w;
    }
  }

  /** total / count, or 0 when count is 0 (Keras divide_no_nan). */
  value(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

/** a / b, or 0 when b is 0 (Keras ops.divide_no_nan). */
export function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Arithmetic mean of a vector (0 when empty). */
export function meanOf(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
