import type { FloatArray } from '../tensor.js';

/** Index of the largest of `cols` values starting at `offset` (first one on ties; NaN never wins). */
export function argmaxRow(data: FloatArray, offset: number, cols: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let c = 0; c < cols; c++) {
    const v = data[offset + c]!;
    if (v > bestValue || (best < 0 && v === -Infinity)) {
      best = c;
      bestValue = v;
    }
  }
  return best;
}

/**
 * Whether class `target` is among the `k` largest of a row (TensorFlow in_top_k, as Keras 3 uses it): its rank is
 * one plus the number of strictly larger predictions, so ties at the boundary count as in. A NaN prediction for the
 * target, or a target outside the row, is never in.
 */
export function inTopK(data: FloatArray, offset: number, cols: number, target: number, k: number): boolean {
  if (!Number.isInteger(target) || target < 0 || target >= cols) return false;
  const value = data[offset + target]!;
  if (Number.isNaN(value)) return false;
  let larger = 0;
  for (let c = 0; c < cols; c++) if (data[offset + c]! > value) larger++;
  return larger + 1 <= k;
}
