import type { FloatArray } from '../tensor.js';
import { EPSILON } from './layout.js';

/*
 * Keras 3's categorical losses turn a row of yPred into probabilities the same way: softmax when fromLogits, then
 * `output / sum(output)` (so unnormalized rows still give a distribution), then a clip to [ε, 1 - ε] before the log.
 * These helpers do that for one row (elements base, base + stride, ...) and carry a gradient back through it.
 */

/** One row's probabilities: `pre` = the values before normalization (softmax output or yPred), `probs` = pre / sum. */
export interface RowProbabilities {
  readonly pre: Float64Array;
  readonly probs: Float64Array;
  /** Σ pre, the normalizer. */
  sum: number;
}

/** Scratch buffers for rows of `len` classes. */
export function rowProbabilities(len: number): RowProbabilities {
  return { pre: new Float64Array(len), probs: new Float64Array(len), sum: 0 };
}

/** Numerically stable softmax of a row into `out`. */
export function softmaxRow(x: FloatArray, base: number, stride: number, len: number, out: Float64Array): void {
  let max = -Infinity;
  for (let a = 0; a < len; a++) max = Math.max(max, x[base + a * stride]!);
  let sum = 0;
  for (let a = 0; a < len; a++) {
    const e = Math.exp(x[base + a * stride]! - max);
    out[a] = e;
    sum += e;
  }
  for (let a = 0; a < len; a++) out[a]! /= sum;
}

/** log Σ exp(x) over a row, shifted by the maximum so it cannot overflow. */
export function logSumExpRow(x: FloatArray, base: number, stride: number, len: number): number {
  let max = -Infinity;
  for (let a = 0; a < len; a++) max = Math.max(max, x[base + a * stride]!);
  let sum = 0;
  for (let a = 0; a < len; a++) sum += Math.exp(x[base + a * stride]! - max);
  return max + Math.log(sum);
}

/** Fills `rp` with the normalized probabilities of one row of yPred. */
export function computeRowProbabilities(
  yPred: FloatArray, base: number, stride: number, len: number, fromLogits: boolean, rp: RowProbabilities,
): void {
  if (fromLogits) softmaxRow(yPred, base, stride, len, rp.pre);
  else for (let a = 0; a < len; a++) rp.pre[a] = yPred[base + a * stride]!;
  let sum = 0;
  for (let a = 0; a < len; a++) sum += rp.pre[a]!;
  rp.sum = sum;
  for (let a = 0; a < len; a++) rp.probs[a] = rp.pre[a]! / sum;
}

/** A normalized probability clipped to [ε, 1 - ε], as Keras does before taking its log. */
export function clipProbability(q: number): number {
  return Math.min(Math.max(q, EPSILON), 1 - EPSILON);
}

/** Whether the clip lets the gradient through (TF's clip_by_value passes it on the closed interval). */
export function clipPasses(q: number): boolean {
  return q >= EPSILON && q <= 1 - EPSILON;
}

/**
 * Given g = d(row value)/d(normalized probability), writes d(row value)/d(yPred) of the row into `grad`: through
 * q = pre / Σ pre (dq_a/dpre_k = (δ_ak - q_a) / Σ) and, from logits, through the softmax.
 */
export function backpropRowProbabilities(
  g: Float64Array, rp: RowProbabilities, fromLogits: boolean, grad: Float64Array, base: number, stride: number, len: number,
): void {
  let gq = 0;
  for (let a = 0; a < len; a++) gq += g[a]! * rp.probs[a]!;
  // h = d/d pre, stored back into g.
  for (let a = 0; a < len; a++) g[a] = (g[a]! - gq) / rp.sum;
  if (!fromLogits) {
    for (let a = 0; a < len; a++) grad[base + a * stride] = g[a]!;
    return;
  }
  let hs = 0;
  for (let a = 0; a < len; a++) hs += g[a]! * rp.pre[a]!;
  for (let a = 0; a < len; a++) grad[base + a * stride] = rp.pre[a]! * (g[a]! - hs);
}
