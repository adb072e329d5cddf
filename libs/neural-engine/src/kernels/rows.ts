import type { FloatArray } from '../tensor.js';

/*
 * Row-wise helpers over a tensor seen as [rows, cols]; each works over a row range like the matmul kernels.
 */

/** out[r, c] = x[r, c] + v[c] for rows [rowStart, rowEnd). `out` may be `x`. */
export function addRowVector(
  x: FloatArray, v: FloatArray, out: FloatArray, cols: number, rowStart: number, rowEnd: number,
): void {
  for (let r = rowStart; r < rowEnd; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[base + c] = x[base + c]! + v[c]!;
  }
}

/** out[c] = Σ_r x[r, c] over all rows (bias gradients). Summed in float64, then stored. */
export function sumRows(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c]! += x[base + c]!;
  }
  out.set(acc);
}
