import type { Tensor } from '../tensor.js';
import { EPSILON, axisLayout, checkSameShape } from './layout.js';

/** Options of the cosine similarity loss (Keras `cosine_similarity`). */
export interface CosineSimilarityOptions {
  /** The feature axis the similarity is computed over. */
  axis?: number;
}

/**
 * Cosine similarity loss per row: -Σ t̂·p̂ over `axis`, where x̂ = x / max(‖x‖, ε) (Keras `normalize`). It is the
 * negative similarity, so -1 means identical directions; a zero vector gives 0.
 */
export function cosineSimilarityValues(
  yTrue: Tensor, yPred: Tensor, options: CosineSimilarityOptions = {}, grad?: Float64Array,
): Float64Array {
  checkSameShape(yTrue, yPred);
  const { outer, axisLen: len, inner, rows } = axisLayout(yPred.shape, options.axis ?? -1);
  const t = yTrue.data;
  const p = yPred.data;
  const out = new Float64Array(rows);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let tt = 0;
      let pp = 0;
      let tp = 0;
      for (let a = 0; a < len; a++) {
        const k = base + a * inner;
        tt += t[k]! * t[k]!;
        pp += p[k]! * p[k]!;
        tp += t[k]! * p[k]!;
      }
      const tNorm = Math.max(Math.sqrt(tt), EPSILON);
      const pNorm = Math.sqrt(pp);
      const pDen = Math.max(pNorm, EPSILON);
      const cos = tp / (tNorm * pDen);
      out[o * inner + i] = -cos;
      if (!grad) continue;
      // Above ε, d(-t̂·p/‖p‖)/dp = -(t̂ - cos·p̂)/‖p‖; below, the norm is the constant ε and only -t̂/ε remains.
      const normActive = pNorm > EPSILON;
      for (let a = 0; a < len; a++) {
        const k = base + a * inner;
        const tHat = t[k]! / tNorm;
        grad[k] = normActive ? -(tHat - (cos * p[k]!) / pNorm) / pNorm : -tHat / EPSILON;
      }
    }
  }
  return out;
}
