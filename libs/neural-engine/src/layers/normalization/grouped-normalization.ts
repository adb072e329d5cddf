import type { FloatArray } from '../../tensor.js';

/*
 * The arithmetic shared by BatchNormalization and LayerNormalization: elements fall into statistic groups (per feature
 * across the batch for BatchNormalization, per sample position for LayerNormalization) and into parameter slots
 * (gamma/beta entries):
 *   y = (x − mean_g)·inv_g·gamma_p + beta_p            (centered)
 *   y =  x·inv_g·gamma_p                               (LayerNormalization rmsScaling, Keras 3)
 * with inv_g = 1/sqrt(variance_g + epsilon). Statistics may be weighted (BatchNormalization with a timestep mask).
 *
 * Every loop is in float64 in element order. They run over millions of elements for a normalized convolution (a
 * BatchNormalization after a 26×26×32 convolution at batch 64: 1.4 M), where they are bound by memory, so they read
 * nothing per element beyond x, dy and the weights: an element's group and parameter slot come from its position in
 * its sample (a counter, not i % n) through per-sample tables, not from a per-element group array (which added 4 bytes
 * an element to every pass, and memory). An absent gamma, beta or mean reads 1, 0 or 0 from an array (x·1, x + 0 and
 * x − 0 are x, −0 included, as the constants were).
 */

/**
 * The statistic group of each element, from its position in its sample: group = sample·perSample + sampleGroup[position]
 * (BatchNormalization: perSample 0, every sample sharing the features' groups; LayerNormalization: each sample its own).
 */
export interface GroupLayout {
  /** Group of each position of one sample, among that sample's groups. */
  sampleGroup: Int32Array;
  /** Groups of each sample's own (0 when every sample shares them). */
  perSample: number;
}

/** Mean and (biased) variance of each group, with the denominator each used. */
export interface GroupMoments {
  mean: Float64Array;
  variance: Float64Array;
  /** Σ weights (+ the extra term): the count each statistic divided by. */
  denom: Float64Array;
}

/**
 * Weighted moments per group: mean = Σ w·x / (Σ w + extra), variance = Σ w·(x − mean)² / (Σ w + extra), the groups laid
 * out by `layout`; `weights` null means every weight is 1. Accumulates in float64.
 */
export function groupMoments(x: FloatArray, layout: GroupLayout, groups: number, weights: ArrayLike<number> | null, extra = 0): GroupMoments {
  const sum = new Float64Array(groups);
  const denom = new Float64Array(groups).fill(extra);
  addWeightedSums(x, layout, weights, sum, denom);
  const mean = new Float64Array(groups);
  for (let g = 0; g < groups; g++) mean[g] = sum[g]! / denom[g]!;
  const variance = new Float64Array(groups);
  addWeightedSquares(x, layout, weights, mean, variance);
  for (let g = 0; g < groups; g++) variance[g]! /= denom[g]!;
  return { mean, variance, denom };
}

/*
 * Each pass over the elements is a function of its own, with nothing after its loop. A loop in a function called once
 * per step runs as on-stack-replaced code, and V8 11 deoptimized such code on every call when it reached code after
 * the loop ("insufficient type feedback"), compiling the next loop afresh: two deoptimizations and two compiles per
 * call of the moments, which then ran mostly in the interpreter.
 */

/** sum[g] += w·x, denom[g] += w over the elements. */
function addWeightedSums(x: FloatArray, layout: GroupLayout, weights: ArrayLike<number> | null, sum: Float64Array, denom: Float64Array): void {
  const { sampleGroup, perSample } = layout;
  const n = sampleGroup.length;
  for (let i = 0, at = 0, base = 0; i < x.length; i++) {
    const g = base + sampleGroup[at]!;
    const w = weights ? weights[i]! : 1;
    sum[g]! += w * x[i]!;
    denom[g]! += w;
    if (++at === n) {
      at = 0;
      base += perSample;
    }
  }
}

/** variance[g] += w·(x − mean[g])² over the elements. */
function addWeightedSquares(x: FloatArray, layout: GroupLayout, weights: ArrayLike<number> | null, mean: Float64Array, variance: Float64Array): void {
  const { sampleGroup, perSample } = layout;
  const n = sampleGroup.length;
  for (let i = 0, at = 0, base = 0; i < x.length; i++) {
    const g = base + sampleGroup[at]!;
    const w = weights ? weights[i]! : 1;
    const d = x[i]! - mean[g]!;
    variance[g]! += w * d * d;
    if (++at === n) {
      at = 0;
      base += perSample;
    }
  }
}

/** 1/sqrt(variance + epsilon) per group. */
export function inverseStd(variance: ArrayLike<number>, epsilon: number): Float64Array {
  return Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
}

/** How elements map to statistics and parameters, and the per-group statistics of one forward pass. */
export interface NormalizationPass {
  layout: GroupLayout;
  /** Parameter slot of each position of one sample (the same length as layout.sampleGroup). */
  param: Int32Array;
  mean: ArrayLike<number>;
  inv: ArrayLike<number>;
  gamma: FloatArray | null;
  beta: FloatArray | null;
  /** Whether the output subtracts the mean (false only for rmsScaling). */
  centered: boolean;
}

/** A pass's parameters and mean as arrays, with 1 for an absent gamma and 0 for an absent beta or an uncentered mean. */
function passArrays(p: NormalizationPass, groups: number): { gamma: ArrayLike<number>; beta: ArrayLike<number>; mean: ArrayLike<number> } {
  const slots = p.param.reduce((most, slot) => Math.max(most, slot + 1), 0);
  return {
    gamma: p.gamma ?? new Float64Array(slots).fill(1),
    beta: p.beta ?? new Float64Array(slots),
    mean: p.centered ? p.mean : new Float64Array(groups),
  };
}

/** Writes y for x into `out` (which may be x's storage only if x is not needed afterwards). */
export function normalizeForward(x: FloatArray, out: FloatArray, p: NormalizationPass): void {
  const { layout: { sampleGroup, perSample }, param, inv } = p;
  const n = param.length;
  const { gamma, beta, mean } = passArrays(p, inv.length);
  for (let i = 0, at = 0, base = 0; i < x.length; i++) {
    const g = base + sampleGroup[at]!;
    const slot = param[at]!;
    out[i] = (x[i]! - mean[g]!) * inv[g]! * gamma[slot]! + beta[slot]!;
    if (++at === n) {
      at = 0;
      base += perSample;
    }
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
  // `shift` makes the output's input: x − mean, or x uncentered (x − 0).
  const { gamma: scale, mean: shift } = passArrays(p, p.inv.length);
  // An absent gradient is accumulated into a scratch array and dropped.
  const slots = scale.length;
  addParameterGradients(x, dy, p, shift, gammaGrad ?? new Float64Array(slots), betaGrad ?? new Float64Array(slots));
  if (!s.fromInput) {
    inputGradientFixed(dy, dx, p, scale);
    return;
  }
  const sums = { u: new Float64Array(s.groups), uo: new Float64Array(s.groups), wd: new Float64Array(s.groups) };
  addGradientSums(x, dy, p, s.weights, scale, shift, sums);
  const dVar = new Float64Array(s.groups);
  const dMean = new Float64Array(s.groups);
  for (let g = 0; g < s.groups; g++) {
    const inv = p.inv[g]!;
    dVar[g] = -0.5 * inv * inv * inv * sums.uo[g]!;
    dMean[g] = (p.centered ? -inv * sums.u[g]! : 0) - (2 * dVar[g]! * sums.wd[g]!) / s.denom![g]!;
  }
  inputGradientThroughStatistics(x, dy, dx, p, s.weights, s.denom!, scale, dVar, dMean);
}

/* normalizeBackward's passes over the elements, each a function of its own (see addWeightedSums). */

/** gammaSums[slot] += dy·(x − shift)·inv, betaSums[slot] += dy. */
function addParameterGradients(
  x: FloatArray, dy: FloatArray, p: NormalizationPass, shift: ArrayLike<number>, gammaSums: FloatArray, betaSums: FloatArray,
): void {
  const { layout: { sampleGroup, perSample }, param, inv } = p;
  const n = param.length;
  for (let i = 0, at = 0, base = 0; i < x.length; i++) {
    const slot = param[at]!;
    const g = base + sampleGroup[at]!;
    gammaSums[slot]! += dy[i]! * (x[i]! - shift[g]!) * inv[g]!;
    betaSums[slot]! += dy[i]!;
    if (++at === n) {
      at = 0;
      base += perSample;
    }
  }
}

/** dx = dy·gamma·inv, statistics fixed (not from x). */
function inputGradientFixed(dy: FloatArray, dx: FloatArray, p: NormalizationPass, scale: ArrayLike<number>): void {
  const { layout: { sampleGroup, perSample }, param, inv } = p;
  const n = param.length;
  for (let i = 0, at = 0, base = 0; i < dy.length; i++) {
    dx[i] = dy[i]! * scale[param[at]!]! * inv[base + sampleGroup[at]!]!;
    if (++at === n) {
      at = 0;
      base += perSample;
    }
  }
}

/** Per group, with u = dy·gamma: Σ u, Σ u·(x − shift) and Σ w·(x − mean). */
function addGradientSums(
  x: FloatArray, dy: FloatArray, p: NormalizationPass, weights: ArrayLike<number> | null, scale: ArrayLike<number>, shift: ArrayLike<number>,
  sums: { u: Float64Array; uo: Float64Array; wd: Float64Array },
): void {
  const { layout: { sampleGroup, perSample }, param, mean } = p;
  const n = param.length;
  const { u: sumU, uo: sumUO, wd: sumWD } = sums;
  for (let i = 0, at = 0, base = 0; i < x.length; i++) {
    const g = base + sampleGroup[at]!;
    const u = dy[i]! * scale[param[at]!]!;
    sumU[g]! += u;
    sumUO[g]! += u * (x[i]! - shift[g]!);
    sumWD[g]! += (weights ? weights[i]! : 1) * (x[i]! - mean[g]!);
    if (++at === n) {
      at = 0;
      base += perSample;
    }
  }
}

/** dx through the batch statistics: dy·gamma·inv + dVar·2·w·(x − mean)/N + dMean·w/N. */
function inputGradientThroughStatistics(
  x: FloatArray, dy: FloatArray, dx: FloatArray, p: NormalizationPass, weights: ArrayLike<number> | null, denom: ArrayLike<number>,
  scale: ArrayLike<number>, dVar: Float64Array, dMean: Float64Array,
): void {
  const { layout: { sampleGroup, perSample }, param, inv, mean } = p;
  const n = param.length;
  for (let i = 0, at = 0, base = 0; i < x.length; i++) {
    const g = base + sampleGroup[at]!;
    const w = weights ? weights[i]! : 1;
    const nG = denom[g]!;
    dx[i] = dy[i]! * scale[param[at]!]! * inv[g]! + (dVar[g]! * 2 * w * (x[i]! - mean[g]!)) / nG + (dMean[g]! * w) / nG;
    if (++at === n) {
      at = 0;
      base += perSample;
    }
  }
}
