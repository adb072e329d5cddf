import type { Tensor } from '../tensor.js';
import { elementwiseRowValues } from './elementwise.js';
import { EPSILON } from './layout.js';

/*
 * The regression losses of Keras 3: each averages an element-wise error over the last axis. `grad`, when given, receives
 * d(row value)/d(yPred element) for every element (see elementwiseRowValues).
 */

/** Mean squared error per row: mean((yTrue - yPred)²) over the last axis. */
export function meanSquaredErrorValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(yTrue, yPred, -1, 'mean', (t, p) => (t - p) * (t - p), (t, p) => 2 * (p - t), grad);
}

/** Mean absolute error per row: mean(|yTrue - yPred|) over the last axis (derivative 0 where they are equal, as TF). */
export function meanAbsoluteErrorValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(yTrue, yPred, -1, 'mean', (t, p) => Math.abs(t - p), (t, p) => Math.sign(p - t), grad);
}

/** Mean absolute percentage error per row: 100 · mean(|yTrue - yPred| / max(|yTrue|, ε)) over the last axis. */
export function meanAbsolutePercentageErrorValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(
    yTrue, yPred, -1, 'mean',
    (t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), EPSILON),
    (t, p) => (100 * Math.sign(p - t)) / Math.max(Math.abs(t), EPSILON),
    grad,
  );
}

/** Mean squared logarithmic error per row: mean((log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))²). */
export function meanSquaredLogarithmicErrorValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  const diff = (t: number, p: number) => Math.log1p(Math.max(p, EPSILON)) - Math.log1p(Math.max(t, EPSILON));
  return elementwiseRowValues(
    yTrue, yPred, -1, 'mean',
    (t, p) => diff(t, p) ** 2,
    // max(p, ε) passes the gradient to p when p >= ε (TF's maximum sends ties to its first argument).
    (t, p) => (p >= EPSILON ? (2 * diff(t, p)) / (p + 1) : 0),
    grad,
  );
}

/** Huber loss per row: mean over the last axis of ½e² where |e| <= delta, delta·|e| - ½delta² beyond (e = yPred - yTrue). */
export function huberValues(yTrue: Tensor, yPred: Tensor, delta = 1, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(
    yTrue, yPred, -1, 'mean',
    (t, p) => {
      const e = Math.abs(p - t);
      return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
    },
    (t, p) => {
      const e = p - t;
      return Math.abs(e) <= delta ? e : delta * Math.sign(e);
    },
    grad,
  );
}

/** log(cosh(x)) computed as Keras does, x + softplus(-2x) - log 2, which cannot overflow. */
export function logCosh(x: number): number {
  const u = -2 * x;
  const softplus = Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
  return x + softplus - Math.LN2;
}

/** Log-cosh loss per row: mean(log(cosh(yPred - yTrue))) over the last axis. */
export function logCoshValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  return elementwiseRowValues(yTrue, yPred, -1, 'mean', (t, p) => logCosh(p - t), (t, p) => Math.tanh(p - t), grad);
}
