import type { Tensor } from '../tensor.js';
import { elementwiseRowValues } from './elementwise.js';
import { EPSILON } from './layout.js';

/** Options of binary crossentropy (Keras `binary_crossentropy`). */
export interface BinaryCrossentropyOptions {
  /** yPred holds logits rather than probabilities. */
  fromLogits?: boolean;
  /** In [0, 1]: labels are squeezed towards 0.5 as t·(1 - s) + s/2. */
  labelSmoothing?: number;
  /** Axis the element-wise crossentropy is averaged over. */
  axis?: number;
}

/** Element-wise crossentropy of a probability, clipped to [ε, 1 - ε] as Keras does. */
export function binaryCrossentropyOfProbability(t: number, p: number): number {
  const o = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
  return -(t * Math.log(o) + (1 - t) * Math.log(1 - o));
}

/** d/dp of binaryCrossentropyOfProbability (0 where the clip is active). */
export function binaryCrossentropyOfProbabilityDerivative(t: number, p: number): number {
  if (p < EPSILON || p > 1 - EPSILON) return 0;
  return -t / p + (1 - t) / (1 - p);
}

/** Element-wise crossentropy of a logit: max(z, 0) - z·t + log(1 + e^-|z|) (TF sigmoid_cross_entropy_with_logits). */
export function binaryCrossentropyOfLogit(t: number, z: number): number {
  return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Logistic sigmoid, written so that neither branch overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Binary crossentropy per row: the element-wise crossentropy averaged over `axis` (default the last). */
export function binaryCrossentropyValues(
  yTrue: Tensor, yPred: Tensor, options: BinaryCrossentropyOptions = {}, grad?: Float64Array,
): Float64Array {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const smooth = (t: number) => t * (1 - labelSmoothing) + 0.5 * labelSmoothing;
  if (fromLogits) {
    return elementwiseRowValues(
      yTrue, yPred, axis, 'mean',
      (t, z) => binaryCrossentropyOfLogit(smooth(t), z),
      (t, z) => sigmoid(z) - smooth(t),
      grad,
    );
  }
  return elementwiseRowValues(
    yTrue, yPred, axis, 'mean',
    (t, p) => binaryCrossentropyOfProbability(smooth(t), p),
    (t, p) => binaryCrossentropyOfProbabilityDerivative(smooth(t), p),
    grad,
  );
}
