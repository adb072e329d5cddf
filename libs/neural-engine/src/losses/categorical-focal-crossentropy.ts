import type { Tensor } from '../tensor.js';
import {
  backpropRowProbabilities,
  clipPasses,
  clipProbability,
  computeRowProbabilities,
  rowProbabilities,
} from './categorical-probabilities.js';
import { axisLayout, checkSameShape } from './layout.js';

/** Options of categorical focal crossentropy (Keras `categorical_focal_crossentropy`). */
export interface CategoricalFocalCrossentropyOptions {
  /** Class weight: one number for all classes, or one per class. */
  alpha?: number | readonly number[];
  /** Focusing parameter: each class term is scaled by (1 - q)^gamma. */
  gamma?: number;
  fromLogits?: boolean;
  /** In [0, 1]: one-hot labels become t·(1 - s) + s / numClasses. */
  labelSmoothing?: number;
  /** The class axis. */
  axis?: number;
}

/**
 * Categorical focal crossentropy per row (Keras 3): Σ over classes of alpha · (1 - q)^gamma · (-t·log q), with
 * q = clip(softmax-or-p / Σ, ε, 1 - ε).
 */
export function categoricalFocalCrossentropyValues(
  yTrue: Tensor, yPred: Tensor, options: CategoricalFocalCrossentropyOptions = {}, grad?: Float64Array,
): Float64Array {
  const { alpha = 0.25, gamma = 2, fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  checkSameShape(yTrue, yPred);
  const { outer, axisLen: len, inner, rows } = axisLayout(yPred.shape, axis);
  if (typeof alpha !== 'number' && alpha.length !== len) {
    throw new RangeError(`alpha has ${alpha.length} values but yPred has ${len} classes`);
  }
  const alphaOf = (a: number) => (typeof alpha === 'number' ? alpha : alpha[a]!);
  const t = yTrue.data;
  const out = new Float64Array(rows);
  const g = new Float64Array(len);
  const rp = rowProbabilities(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      computeRowProbabilities(yPred.data, base, inner, len, fromLogits, rp);
      let v = 0;
      for (let a = 0; a < len; a++) {
        const target = t[base + a * inner]! * (1 - labelSmoothing) + labelSmoothing / len;
        const raw = rp.probs[a]!;
        const q = clipProbability(raw);
        const focal = Math.pow(1 - q, gamma);
        v += alphaOf(a) * focal * -target * Math.log(q);
        // d/dq of alpha·(1-q)^γ·(-t·log q); 1 - q >= ε after the clip, so (1 - q)^(γ-1) is finite.
        g[a] = clipPasses(raw)
          ? alphaOf(a) * target * (gamma * Math.pow(1 - q, gamma - 1) * Math.log(q) - focal / q)
          : 0;
      }
      out[o * inner + i] = v;
      if (grad) backpropRowProbabilities(g, rp, fromLogits, grad, base, inner, len);
    }
  }
  return out;
}
