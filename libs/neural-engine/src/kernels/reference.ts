import type { FloatArray } from '../tensor.js';

/*
 * Naive reference kernels: the obvious triple loop, in float64, used by tests as the oracle for the fast kernels.
 */

/** C = op(A)·op(B), op transposing when asked. A is [m,k] (or [k,m] transposed), B is [k,n] (or [n,k]). */
export function referenceMatmul(
  a: ArrayLike<number>, b: ArrayLike<number>,
  m: number, k: number, n: number,
  transposeA = false, transposeB = false,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const av = transposeA ? a[p * m + i]! : a[i * k + p]!;
        const bv = transposeB ? b[j * k + p]! : b[p * n + j]!;
        sum += av * bv;
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}

/** Sum over all leading axes: x[rows, cols] → [cols]. */
export function referenceSumRows(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c]! += x[r * cols + c]!;
  return out;
}

/** x[rows, cols] + v[cols] broadcast over rows. */
export function referenceAddRowVector(x: ArrayLike<number>, v: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c]! + v[c]!;
  return out;
}

export function referenceSum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}
