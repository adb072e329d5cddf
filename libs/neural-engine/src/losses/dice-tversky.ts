import type { Tensor } from '../tensor.js';
import { EPSILON, type RowMap, checkSameShape, rowMap } from './layout.js';

/** Axes a segmentation loss sums over: null for all of them (Keras' default, one value for the whole batch). */
export type SegmentationAxes = number | readonly number[] | null;

/** Options of the Tversky loss (Keras `tversky`). */
export interface TverskyOptions {
  /** Weight of false positives. */
  alpha?: number;
  /** Weight of false negatives. */
  beta?: number;
  axis?: SegmentationAxes;
}

/** The row map of a segmentation loss: the reduced axes are `axis`, or every axis when it is null. */
export function segmentationRowMap(shape: readonly number[], axis: SegmentationAxes | undefined): RowMap {
  const axes = axis == null ? shape.map((_, k) => k) : typeof axis === 'number' ? [axis] : axis;
  return rowMap(shape, axes);
}

/** Σ t·p, Σ t and Σ p per row. */
function rowSums(yTrue: Tensor, yPred: Tensor, map: RowMap): [Float64Array, Float64Array, Float64Array] {
  const inter = new Float64Array(map.rows);
  const sumT = new Float64Array(map.rows);
  const sumP = new Float64Array(map.rows);
  const t = yTrue.data;
  const p = yPred.data;
  for (let i = 0; i < p.length; i++) {
    const r = map.rowOf(i);
    inter[r]! += t[i]! * p[i]!;
    sumT[r]! += t[i]!;
    sumP[r]! += p[i]!;
  }
  return [inter, sumT, sumP];
}

/**
 * Dice loss per row: 1 - 2·Σ t·p / (Σ t + Σ p + ε), summed over `axis` (Keras 3 default null: over everything, so
 * the whole batch gives a single value; axis [1, 2, 3] gives one value per image).
 */
export function diceValues(yTrue: Tensor, yPred: Tensor, axis: SegmentationAxes = null, grad?: Float64Array): Float64Array {
  checkSameShape(yTrue, yPred);
  const map = segmentationRowMap(yPred.shape, axis);
  const [inter, sumT, sumP] = rowSums(yTrue, yPred, map);
  const out = new Float64Array(map.rows);
  for (let r = 0; r < map.rows; r++) out[r] = 1 - (2 * inter[r]!) / (sumT[r]! + sumP[r]! + EPSILON);
  if (grad) {
    const t = yTrue.data;
    for (let i = 0; i < grad.length; i++) {
      const r = map.rowOf(i);
      const d = sumT[r]! + sumP[r]! + EPSILON;
      grad[i] = (-2 * (t[i]! * d - inter[r]!)) / (d * d);
    }
  }
  return out;
}

/**
 * Tversky loss per row: 1 - TP / (TP + alpha·FP + beta·FN + ε) with TP = Σ t·p, FP = Σ (1 - p)·t, FN = Σ p·(1 - t)
 * (Keras 3's naming), summed over `axis` as for diceValues.
 */
export function tverskyValues(yTrue: Tensor, yPred: Tensor, options: TverskyOptions = {}, grad?: Float64Array): Float64Array {
  const { alpha = 0.5, beta = 0.5, axis = null } = options;
  checkSameShape(yTrue, yPred);
  const map = segmentationRowMap(yPred.shape, axis);
  const [tp, sumT, sumP] = rowSums(yTrue, yPred, map);
  const out = new Float64Array(map.rows);
  // FP = Σt - TP and FN = Σp - TP.
  const den = (r: number) => tp[r]! + alpha * (sumT[r]! - tp[r]!) + beta * (sumP[r]! - tp[r]!) + EPSILON;
  for (let r = 0; r < map.rows; r++) out[r] = 1 - tp[r]! / den(r);
  if (grad) {
    const t = yTrue.data;
    for (let i = 0; i < grad.length; i++) {
      const r = map.rowOf(i);
      const d = den(r);
      const dDen = t[i]! * (1 - alpha) + beta * (1 - t[i]!);
      grad[i] = -(t[i]! * d - tp[r]! * dDen) / (d * d);
    }
  }
  return out;
}
