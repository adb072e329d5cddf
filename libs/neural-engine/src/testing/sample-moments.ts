/**
 * Sample mean and variance with their standard errors, for statistical tests of random initializers: a check
 * |estimate − expected| < k·standardError fails by chance with probability about 6e-7 for k = 5.
 */
export function sampleMoments(values: ArrayLike<number>): {
  mean: number;
  variance: number;
  meanError: number;
  varianceError: number;
  min: number;
  max: number;
} {
  const n = values.length;
  let mean = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    mean += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  // Var(sample variance) ≈ (μ4 − σ⁴) / n for any distribution with a finite fourth moment.
  return { mean, variance: m2, meanError: Math.sqrt(m2 / n), varianceError: Math.sqrt(Math.max(m4 - m2 * m2, 0) / n), min, max };
}
