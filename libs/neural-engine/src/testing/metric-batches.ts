import { float64Backend } from './gradient-check.js';
import type { Tensor } from '../tensor.js';
import type { Metric } from '../metrics/metric.js';

/*
 * Helpers for the metric tests: batches as float64 tensors, and the accumulate / reset protocol every metric must
 * follow.
 */

/** One batch given to Metric.update. */
export interface Batch {
  yTrue: Tensor;
  yPred: Tensor;
  sampleWeight?: number[] | null;
}

/** A float64 tensor of the given shape. */
export function tensor(shape: number[], values: ArrayLike<number>): Tensor {
  return float64Backend.fromValues(shape, values);
}

/** Resets `metric`, feeds it every batch, returns result(). */
export function resultOver(metric: Metric, batches: readonly Batch[]): number {
  metric.reset();
  for (const b of batches) metric.update(b.yTrue, b.yPred, b.sampleWeight ?? null);
  return metric.result();
}

/** Σ wᵢ·vᵢ / Σ wᵢ (weights default to 1). */
export function weightedMean(values: ArrayLike<number>, weights?: ArrayLike<number> | null): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i]! : 1;
    num += w * values[i]!;
    den += w;
  }
  return num / den;
}

/** Concatenates rows of several float arrays (batches) into one plain array. */
export function concat(...parts: ArrayLike<number>[]): number[] {
  return parts.flatMap((p) => Array.from(p));
}
