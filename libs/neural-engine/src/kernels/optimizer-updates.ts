import type { FloatArray } from '../tensor.js';

/*
 * Fused optimizer updates over a range of elements: one pass over a parameter tensor and its slots. They are the
 * reference the WebAssembly twins (assembly/optimizers.ts) match bit for bit.
 */

/** The per-step scalars of Adam: alpha = lr·sqrt(1 - β2^t)/(1 - β1^t), computed once per step by the optimizer. */
export interface AdamCoefficients {
  readonly alpha: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/**
 * Keras Adam on elements [start, end): m += (g - m)(1 - β1), v += (g² - v)(1 - β2), with AMSGrad (vHat given)
 * vHat = max(vHat, v), then w -= alpha·m / (sqrt(v or vHat) + ε). Every term in float64, rounded when stored.
 */
export function adamUpdate(
  w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vHat: FloatArray | null, c: AdamCoefficients, start: number, end: number,
): void {
  const { alpha, beta1, beta2, epsilon } = c;
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    m[i] = m[i]! + (gi - m[i]!) * (1 - beta1);
    v[i] = v[i]! + (gi * gi - v[i]!) * (1 - beta2);
    let vi = v[i]!;
    if (vHat) {
      vHat[i] = Math.max(vHat[i]!, vi);
      vi = vHat[i]!;
    }
    w[i] = w[i]! - (m[i]! * alpha) / (Math.sqrt(vi) + epsilon);
  }
}
