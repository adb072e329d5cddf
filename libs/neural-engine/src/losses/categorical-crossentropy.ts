import type { Tensor } from '../tensor.js';
import {
  backpropRowProbabilities,
  clipPasses,
  clipProbability,
  computeRowProbabilities,
  logSumExpRow,
  rowProbabilities,
  softmaxRow,
} from './categorical-probabilities.js';
import { axisLayout, checkSameShape } from './layout.js';

/** Options of categorical crossentropy (Keras `categorical_crossentropy`). */
export interface CategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities. */
  fromLogits?: boolean;
  /** In [0, 1]: one-hot labels become t·(1 - s) + s / numClasses. */
  labelSmoothing?: number;
  /** The class axis. */
  axis?: number;
}

/**
 * Categorical crossentropy per row, -Σ t·log(q) over the class axis. From probabilities q = clip(p / Σp, ε, 1 - ε);
 * from logits the exact log-softmax is used (TF softmax_cross_entropy_with_logits, no clipping).
 */
export function categoricalCrossentropyValues(
  yTrue: Tensor, yPred: Tensor, options: CategoricalCrossentropyOptions = {}, grad?: Float64Array,
): Float64Array {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  checkSameShape(yTrue, yPred);
  const { outer, axisLen: len, inner, rows } = axisLayout(yPred.shape, axis);
  const t = yTrue.data;
  const p = yPred.data;
  const out = new Float64Array(rows);
  const target = new Float64Array(len);
  const soft = new Float64Array(len);
  const g = new Float64Array(len);
  const rp = rowProbabilities(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let targetSum = 0;
      for (let a = 0; a < len; a++) {
        // Keras smooths over the number of classes; here that is the class axis' length.
        target[a] = t[base + a * inner]! * (1 - labelSmoothing) + labelSmoothing / len;
        targetSum += target[a]!;
      }
      let v = 0;
      if (fromLogits) {
        const lse = logSumExpRow(p, base, inner, len);
        for (let a = 0; a < len; a++) v += target[a]! * (lse - p[base + a * inner]!);
        if (grad) {
          softmaxRow(p, base, inner, len, soft);
          for (let a = 0; a < len; a++) grad[base + a * inner] = soft[a]! * targetSum - target[a]!;
        }
      } else {
        computeRowProbabilities(p, base, inner, len, false, rp);
        for (let a = 0; a < len; a++) {
          const q = clipProbability(rp.probs[a]!);
          // A zero target adds exactly nothing (the clipped log is finite): one-hot rows take one log, not one a class.
          if (target[a] !== 0) v -= target[a]! * Math.log(q);
          g[a] = clipPasses(rp.probs[a]!) ? -target[a]! / q : 0;
        }
        if (grad) backpropRowProbabilities(g, rp, false, grad, base, inner, len);
      }
      out[o * inner + i] = v;
    }
  }
  return out;
}
