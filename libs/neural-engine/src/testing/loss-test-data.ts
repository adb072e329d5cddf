import { testInputs } from './gradient-check.js';

/*
 * Deterministic inputs shared by the loss tests (not exported from the package).
 */

/** Probabilities in [0.1, 0.9] (0.5 included), for losses whose yPred must lie in (0, 1). */
export function probabilities(n: number, seed = 1): Float64Array {
  return testInputs(n, 2, seed).map((x) => 0.5 + 0.2 * x);
}

/** Logits or regression predictions in [-scale, scale], always including 0 and negatives. */
export function reals(n: number, scale = 2, seed = 1): Float64Array {
  return testInputs(n, scale, seed);
}

/** 0/1 labels. */
export function binaryLabels(n: number, seed = 7): Float64Array {
  return testInputs(n, 1, seed).map((x) => (x > 0 ? 1 : 0));
}

/** One-hot rows along the last axis: `rows` rows of `classes` classes. */
export function oneHot(rows: number, classes: number, seed = 3): Float64Array {
  return oneHotAlong(classIndices(rows, classes, seed), 1, classes, rows);
}

/** Class indices in [0, classes). */
export function classIndices(n: number, classes: number, seed = 3): Float64Array {
  return testInputs(n, 1, seed).map((x) => Math.min(classes - 1, Math.floor(((x + 1) / 2) * classes)));
}

/** One-hot encoding of `labels` (laid out [outer, inner]) along a class axis of `classes` between them. */
export function oneHotAlong(labels: Float64Array, outer: number, classes: number, inner: number): Float64Array {
  const out = new Float64Array(outer * classes * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) out[(o * classes + labels[o * inner + i]!) * inner + i] = 1;
  }
  return out;
}

/** Rows (along the last axis) of positive values summing to 1: soft labels and distributions. */
export function distributions(rows: number, classes: number, seed = 5): Float64Array {
  const out = testInputs(rows * classes, 1, seed).map((x) => 1.2 + x);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let a = 0; a < classes; a++) s += out[r * classes + a]!;
    for (let a = 0; a < classes; a++) out[r * classes + a]! /= s;
  }
  return out;
}
