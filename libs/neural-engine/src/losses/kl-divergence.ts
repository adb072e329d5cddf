import type { Tensor } from '../tensor.js';
import { elementwiseRowValues } from './elementwise.js';
import { EPSILON } from './layout.js';

const clip = (x: number) => Math.min(Math.max(x, EPSILON), 1);

/** Kullback-Leibler divergence per row: Σ t·log(t / p) over the last axis, with t and p clipped to [ε, 1] (Keras). */
export function klDivergenceValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(
    yTrue, yPred, -1, 'sum',
    (t, p) => {
      const tc = clip(t);
      return tc * Math.log(tc / clip(p));
    },
    // Clipping stops the gradient outside [ε, 1] (TF's clip_by_value passes it on the closed interval).
    (t, p) => (p >= EPSILON && p <= 1 ? -clip(t) / p : 0),
    grad,
  );
}
