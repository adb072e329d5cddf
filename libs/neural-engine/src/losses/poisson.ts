import type { Tensor } from '../tensor.js';
import { elementwiseRowValues } from './elementwise.js';
import { EPSILON } from './layout.js';

/** Poisson loss per row: mean(yPred - yTrue · log(yPred + ε)) over the last axis. */
export function poissonValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(
    yTrue, yPred, -1, 'mean',
    (t, p) => p - t * Math.log(p + EPSILON),
    (t, p) => 1 - t / (p + EPSILON),
    grad,
  );
}
