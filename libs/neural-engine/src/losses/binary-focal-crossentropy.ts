import type { Tensor } from '../tensor.js';
import {
  binaryCrossentropyOfLogit,
  binaryCrossentropyOfProbability,
  binaryCrossentropyOfProbabilityDerivative,
  sigmoid,
} from './binary-crossentropy.js';
import { elementwiseRowValues } from './elementwise.js';

/** Options of binary focal crossentropy (Keras `binary_focal_crossentropy`). */
export interface BinaryFocalCrossentropyOptions {
  /** Weight class 1 by alpha and class 0 by 1 - alpha. */
  applyClassBalancing?: boolean;
  /** Balancing weight of class 1 (used only with applyClassBalancing). */
  alpha?: number;
  /** Focusing parameter: the crossentropy is scaled by (1 - p_t)^gamma. */
  gamma?: number;
  fromLogits?: boolean;
  /** In [0, 1]: labels are squeezed towards 0.5 as t·(1 - s) + s/2. */
  labelSmoothing?: number;
  /** Axis the element-wise loss is averaged over. */
  axis?: number;
}

/**
 * Binary focal crossentropy per row (Lin et al. 2018, as Keras 3): with p = yPred (or sigmoid(yPred)) and
 * p_t = t·p + (1 - t)(1 - p), each element is w · (1 - p_t)^gamma · bce(t, p), averaged over `axis`; w = alpha for
 * t = 1 and 1 - alpha for t = 0 when class balancing is on, else 1. From logits the crossentropy is the exact
 * logit form, as in Keras' TensorFlow backend (which recovers the logits behind the sigmoid).
 */
export function binaryFocalCrossentropyValues(
  yTrue: Tensor, yPred: Tensor, options: BinaryFocalCrossentropyOptions = {}, grad?: Float64Array,
): Float64Array {
  const { applyClassBalancing = false, alpha = 0.25, gamma = 2, fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const smooth = (t: number) => t * (1 - labelSmoothing) + 0.5 * labelSmoothing;
  const weight = (t: number) => (applyClassBalancing ? t * alpha + (1 - t) * (1 - alpha) : 1);
  const value = (y: number, x: number): number => {
    const t = smooth(y);
    const p = fromLogits ? sigmoid(x) : x;
    const bce = fromLogits ? binaryCrossentropyOfLogit(t, x) : binaryCrossentropyOfProbability(t, p);
    const pt = t * p + (1 - t) * (1 - p);
    return weight(t) * Math.pow(1 - pt, gamma) * bce;
  };
  const derivative = (y: number, x: number): number => {
    const t = smooth(y);
    const p = fromLogits ? sigmoid(x) : x;
    const dpdx = fromLogits ? p * (1 - p) : 1;
    const bce = fromLogits ? binaryCrossentropyOfLogit(t, x) : binaryCrossentropyOfProbability(t, p);
    const dBce = fromLogits ? p - t : binaryCrossentropyOfProbabilityDerivative(t, p);
    const q = 1 - (t * p + (1 - t) * (1 - p)); // 1 - p_t; dq/dp = 1 - 2t
    const focal = Math.pow(q, gamma);
    // gamma = 0 has no focal term; skipping it also avoids 0 · ∞ when q = 0.
    const dFocal = gamma === 0 ? 0 : gamma * Math.pow(q, gamma - 1) * (1 - 2 * t) * dpdx;
    return weight(t) * (dFocal * bce + focal * dBce);
  };
  return elementwiseRowValues(yTrue, yPred, axis, 'mean', value, derivative, grad);
}
