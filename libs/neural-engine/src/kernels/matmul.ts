import type { FloatArray } from '../tensor.js';

/*
 * The three matrix products backprop needs, on flat row-major arrays, each computing only the output rows
 * [rowStart, rowEnd) so that a thread pool can split the work by rows. Every output element is computed by the same
 * sequence of operations whatever the split, which keeps results bitwise identical across thread counts.
 * Blocking over the shared dimension keeps a slab of B in cache while the rows of A stream past it.
 */

const BLOCK_K = 128;
const BLOCK_N = 256;

/** C[m,n] = A[m,k]·B[k,n], rows [rowStart, rowEnd) of C. C is overwritten. */
export function matmulNN(
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, k: number, n: number,
  rowStart = 0, rowEnd = m,
): void {
  c.fill(0, rowStart * n, rowEnd * n);
  for (let j0 = 0; j0 < n; j0 += BLOCK_N) {
    const j1 = Math.min(j0 + BLOCK_N, n);
    for (let p0 = 0; p0 < k; p0 += BLOCK_K) {
      const p1 = Math.min(p0 + BLOCK_K, k);
      for (let i = rowStart; i < rowEnd; i++) {
        const aRow = i * k;
        const cRow = i * n;
        for (let p = p0; p < p1; p++) {
          const av = a[aRow + p]!;
          if (av === 0) continue;
          const bRow = p * n;
          for (let j = j0; j < j1; j++) c[cRow + j]! += av * b[bRow + j]!;
        }
      }
    }
  }
}

/** C[m,n] = Aᵀ·B with A[k,m], B[k,n] (weight gradients: xᵀ·dy), rows [rowStart, rowEnd) of C. C is overwritten. */
export function matmulTN(
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, k: number, n: number,
  rowStart = 0, rowEnd = m,
): void {
  c.fill(0, rowStart * n, rowEnd * n);
  for (let j0 = 0; j0 < n; j0 += BLOCK_N) {
    const j1 = Math.min(j0 + BLOCK_N, n);
    for (let p0 = 0; p0 < k; p0 += BLOCK_K) {
      const p1 = Math.min(p0 + BLOCK_K, k);
      for (let i = rowStart; i < rowEnd; i++) {
        const cRow = i * n;
        for (let p = p0; p < p1; p++) {
          const av = a[p * m + i]!;
          if (av === 0) continue;
          const bRow = p * n;
          for (let j = j0; j < j1; j++) c[cRow + j]! += av * b[bRow + j]!;
        }
      }
    }
  }
}

/** C[m,n] = A·Bᵀ with A[m,k], B[n,k] (input gradients: dy·Wᵀ), rows [rowStart, rowEnd) of C. C is overwritten. */
export function matmulNT(
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, k: number, n: number,
  rowStart = 0, rowEnd = m,
): void {
  const blockJ = 64;
  for (let j0 = 0; j0 < n; j0 += blockJ) {
    const j1 = Math.min(j0 + blockJ, n);
    for (let i = rowStart; i < rowEnd; i++) {
      const aRow = i * k;
      const cRow = i * n;
      for (let j = j0; j < j1; j++) {
        const bRow = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[aRow + p]! * b[bRow + p]!;
        c[cRow + j] = sum;
      }
    }
  }
}
