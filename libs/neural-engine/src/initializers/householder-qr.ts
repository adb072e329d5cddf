/**
 * Thin QR decomposition of a row-major m×n matrix (m >= n) by Householder reflections, in float64. Returns Q (m×n,
 * orthonormal columns, row-major) and the diagonal of R; the caller applies Keras's sign correction.
 */
export function householderQr(a: Float64Array, m: number, n: number): { q: Float64Array; rDiag: Float64Array } {
  if (m < n) throw new RangeError(`householderQr needs rows >= columns, received ${m}×${n}`);
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m - k);
    if (norm === 0) {
      // Column already zero below the diagonal: the reflection is the identity (v = 0).
      vs.push(v);
      rDiag[k] = 0;
      continue;
    }
    const x0 = r[k * n + k]!;
    // alpha takes the sign opposite to x0 so that v0 = x0 - alpha does not cancel.
    const alpha = x0 >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i - k] = r[i * n + k]!;
    v[0] = x0 - alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i]! ** 2;
    vNorm = Math.sqrt(vNorm);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! / vNorm;
    applyReflection(r, v, k, m, n, k);
    rDiag[k] = alpha;
    vs.push(v);
  }
  // Q = H0·H1·…·H(n-1) applied to the first n columns of the identity, accumulated from the last reflection back.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) applyReflection(q, vs[k]!, k, m, n, 0);
  return { q, rDiag };
}

/** x[k:, c0:] -= 2·v·(vᵀ·x[k:, c0:]) for a row-major m×n matrix x. */
function applyReflection(x: Float64Array, v: Float64Array, k: number, m: number, n: number, c0: number): void {
  for (let c = c0; c < n; c++) {
    let dot = 0;
    for (let i = k; i < m; i++) dot += v[i - k]! * x[i * n + c]!;
    if (dot === 0) continue;
    const s = 2 * dot;
    for (let i = k; i < m; i++) x[i * n + c] = x[i * n + c]! - s * v[i - k]!;
  }
}
