import type { FloatArray } from '../../tensor.js';
import type { AxisLayout } from './axis-layout.js';

/** Keras backend.epsilon(): the lower bound of a norm in keras.ops.normalize. */
export const NORM_EPSILON = 1e-7;

/**
 * x / max(‖x‖₂, ε) along the layout's axis, for every (sample, pre, post) slice (Keras 3 `ops.normalize`, which Dot
 * uses with normalize=true). Returns the normalized values and each slice's factor 1 / max(‖x‖, ε).
 */
export function l2Normalize(x: FloatArray, out: FloatArray, batch: number, l: AxisLayout): Float64Array {
  const factors = new Float64Array(batch * l.pre * l.post);
  let s = 0;
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < l.pre; p++) {
      for (let q = 0; q < l.post; q++, s++) {
        const base = b * l.size + p * l.k * l.post + q;
        let sq = 0;
        for (let kk = 0; kk < l.k; kk++) sq += x[base + kk * l.post]! ** 2;
        const factor = 1 / Math.max(Math.sqrt(sq), NORM_EPSILON);
        factors[s] = factor;
        for (let kk = 0; kk < l.k; kk++) out[base + kk * l.post] = x[base + kk * l.post]! * factor;
      }
    }
  }
  return factors;
}

/**
 * dL/dx of l2Normalize from dL/dx̂ (`g`, overwritten with the result), the normalized values x̂ and the factors:
 * (g - x̂·(x̂·g)) / ‖x‖ where the norm exceeds ε, and g / ε where ε bounds it (the factor is then a constant).
 */
export function l2NormalizeBackward(g: FloatArray, normalized: FloatArray, factors: Float64Array, batch: number, l: AxisLayout): void {
  let s = 0;
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < l.pre; p++) {
      for (let q = 0; q < l.post; q++, s++) {
        const base = b * l.size + p * l.k * l.post + q;
        const factor = factors[s]!;
        if (factor >= 1 / NORM_EPSILON) {
          for (let kk = 0; kk < l.k; kk++) g[base + kk * l.post]! *= factor;
          continue;
        }
        let dot = 0;
        for (let kk = 0; kk < l.k; kk++) dot += normalized[base + kk * l.post]! * g[base + kk * l.post]!;
        for (let kk = 0; kk < l.k; kk++) {
          const i = base + kk * l.post;
          g[i] = (g[i]! - normalized[i]! * dot) * factor;
        }
      }
    }
  }
}
