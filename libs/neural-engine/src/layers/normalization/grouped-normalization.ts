import type { FloatArray } from '../../tensor.js';

/*
 * The arithmetic shared by BatchNormalization and LayerNormalization: elements fall into statistic groups (per feature
 * across the batch for BatchNormalization, per sample position for LayerNormalization) and into parameter slots
 * (gamma/beta entries):
 *   y = (x − mean_g)·inv_g·gamma_p + beta_p            (centered)
 *   y =  x·inv_g·gamma_p                               (LayerNormalization rmsScaling, Keras 3)
 * with inv_g = 1/sqrt(variance_g + epsilon). Statistics may be weighted (BatchNormalization with a timestep mask).
 */

/** Mean and (biased) variance of each group, with the denominator each used. */
export interface GroupMoments {
  mean: Float64Array;
  variance: Float64Array;
  /** Σ weights (+ the extra term): the count each statistic divided by. */
  denom: Float64Array;
}

/**
 * Weighted moments per group: mean = Σ w·x / (Σ w + extra), variance = Σ w·(x − mean)² / (Σ w + extra). `group[i]` is
 * the group of element i; `weights` null means every weight is 1. Accumulates in float64.
 */
export function groupMoments(x: FloatArray, group: Int32Array, groups: number, weights: ArrayLike<number> | null, extra = 0): GroupMoments {
  const sum = new Float64Array(groups);
  const denom = new Float64Array(groups).fill(extra);
  for (let i = 0; i < x.length; i++) {
    const w = weights ? weights[i]! : 1;
    sum[group[i]!]! += w * x[i]!;
    denom[group[i]!]! += w;
  }
  const mean = sum.map((s, g) => s / denom[g]!);
  const variance = new Float64Array(groups);
  for (let i = 0; i < x.length; i++) {
    const w = weights ? weights[i]! : 1;
    const d = x[i]! - mean[group[i]!]!;
    variance[group[i]!]! += w * d * d;
  }
  for (let g = 0; g < groups; g++) variance[g]! /= denom[g]!;
  return { mean, variance, denom };
}

/** 1/sqrt(variance + epsilon) per group. */
export function inverseStd(variance: ArrayLike<number>, epsilon: number): Float64Array {
  return Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
}

/** How elements map to statistics and parameters, and the per-group statistics of one forward pass. */
export interface NormalizationPass {
  /** Group of each element (full tensor). */
  group: Int32Array;
  /** Parameter slot of each element of one sample (repeats every `param.length` elements). */
  param: Int32Array;
  mean: ArrayLike<number>;
  inv: ArrayLike<number>;
  gamma: FloatArray | null;
  beta: FloatArray | null;
  /** Whether the output subtracts the mean (false only for rmsScaling). */
  centered: boolean;
}

/** Writes y for x into `out` (which may be x's storage only if x is not needed afterwards). */
export function normalizeForward(x: FloatArray, out: FloatArray, p: NormalizationPass): void {
  const n = p.param.length;
  for (let i = 0; i < x.length; i++) {
    const g = p.group[i]!;
    const slot = p.param[i % n]!;
    const centered = p.centered ? x[i]! - p.mean[g]! : x[i]!;
    out[i] = centered * p.inv[g]! * (p.gamma ? p.gamma[slot]! : 1) + (p.beta ? p.beta[slot]! : 0);
  }
}

/** What backward needs beyond the forward pass: whether the statistics came from x, and their weights. */
export interface BackwardStatistics {
  /** The mean and variance were computed from x (training), so gradients flow through them. */
  fromInput: boolean;
  groups: number;
  weights: ArrayLike<number> | null;
  denom: ArrayLike<number> | null;
}

/**
 * dL/dx into `dx`, and adds dL/dgamma, dL/dbeta into the given grads. With statistics from x, with o = the output's
 * (centered or raw) input, u = dy·gamma and N = the group's denominator:
 *   dL/dvar_g  = −½ inv³ Σ u·o
 *   dL/dmean_g = −[centered] inv Σ u − 2 dL/dvar_g Σ w·(x − mean) / N
 *   dL/dx_i    = u_i·inv + dL/dvar·2 w_i (x_i − mean)/N + dL/dmean·w_i/N
 * (Σ w·(x − mean) is 0 without the extra denominator term, but a masked mean divides by Σ w + 1e-7 as Keras does.)
 */
export function normalizeBackward(
  x: FloatArray,
  dy: FloatArray,
  dx: FloatArray,
  p: NormalizationPass,
  s: BackwardStatistics,
  gammaGrad: FloatArray | null,
  betaGrad: FloatArray | null,
): void {
  const n = p.param.length;
  const scaleOf = (i: number): number => (p.gamma ? p.gamma[p.param[i % n]!]! : 1);
  const inputOf = (i: number): number => (p.centered ? x[i]! - p.mean[p.group[i]!]! : x[i]!);
  for (let i = 0; i < x.length; i++) {
    const slot = p.param[i % n]!;
    if (gammaGrad) gammaGrad[slot]! += dy[i]! * inputOf(i) * p.inv[p.group[i]!]!;
    if (betaGrad) betaGrad[slot]! += dy[i]!;
  }
  if (!s.fromInput) {
    for (let i = 0; i < x.length; i++) dx[i] = dy[i]! * scaleOf(i) * p.inv[p.group[i]!]!;
    return;
  }
  const sumU = new Float64Array(s.groups);
  const sumUO = new Float64Array(s.groups);
  const sumWD = new Float64Array(s.groups);
  for (let i = 0; i < x.length; i++) {
    const g = p.group[i]!;
    const u = dy[i]! * scaleOf(i);
    sumU[g]! += u;
    sumUO[g]! += u * inputOf(i);
    sumWD[g]! += (s.weights ? s.weights[i]! : 1) * (x[i]! - p.mean[g]!);
  }
  const dVar = new Float64Array(s.groups);
  const dMean = new Float64Array(s.groups);
  for (let g = 0; g < s.groups; g++) {
    const inv = p.inv[g]!;
    dVar[g] = -0.5 * inv * inv * inv * sumUO[g]!;
    dMean[g] = (p.centered ? -inv * sumU[g]! : 0) - (2 * dVar[g]! * sumWD[g]!) / s.denom![g]!;
  }
  for (let i = 0; i < x.length; i++) {
    const g = p.group[i]!;
    const w = s.weights ? s.weights[i]! : 1;
    const nG = s.denom![g]!;
    dx[i] = dy[i]! * scaleOf(i) * p.inv[g]! + (dVar[g]! * 2 * w * (x[i]! - p.mean[g]!)) / nG + (dMean[g]! * w) / nG;
  }
}
