import { DataError } from '../errors.js';
import { type Shape, type Tensor, formatShape } from '../tensor.js';
import { EPSILON, checkSameSize, lastAxisRows } from './common.js';

/*
 * Per-row loss values the loss-like metrics average (Keras 3 keras/src/losses/losses.py formulas). A row is every
 * position but the reduced axis, so rows stay grouped by sample. These are local because the metrics landed before
 * losses/ exported its per-row functions; they are candidates for deduplication with losses/.
 */

/** A reduced axis seen as [outer, n, inner]: element (o, j, i) is at (o·n + j)·inner + i; row (o, i) is o·inner + i. */
export interface AxisLayout {
  outer: number;
  n: number;
  inner: number;
}

/** Layout of `shape` reduced over `axis` (negative counts from the end). The batch axis cannot be reduced. */
export function axisLayout(shape: Shape, axis: number): AxisLayout {
  if (shape.length <= 1) {
    // A rank-1 batch [batch] is one value per sample.
    return { outer: shape.length === 0 ? 1 : shape[0]!, n: 1, inner: 1 };
  }
  const a = axis < 0 ? shape.length + axis : axis;
  if (a <= 0 || a >= shape.length) {
    throw new DataError(`axis ${axis} is not a non-batch axis of shape ${formatShape(shape, false)}`);
  }
  let outer = 1;
  for (let d = 0; d < a; d++) outer *= shape[d]!;
  let inner = 1;
  for (let d = a + 1; d < shape.length; d++) inner *= shape[d]!;
  return { outer, n: shape[a]!, inner };
}

/** Applies `f(i)` to each element of `t` and averages over the last axis: one value per row. */
function meanOverLastAxis(t: Tensor, f: (i: number) => number): Float64Array {
  const [rows, cols] = lastAxisRows(t.shape, t.size);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += f(r * cols + c);
    out[r] = sum / cols;
  }
  return out;
}

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Binary crossentropy per row (mean over the last axis), with Keras label smoothing and probability clipping. */
export function binaryCrossentropyRows(yTrue: Tensor, yPred: Tensor, fromLogits: boolean, labelSmoothing: number): Float64Array {
  checkSameSize('binary_crossentropy', yTrue, yPred);
  const t = yTrue.data;
  const p = yPred.data;
  return meanOverLastAxis(yPred, (i) => {
    const y = t[i]! * (1 - labelSmoothing) + 0.5 * labelSmoothing;
    if (fromLogits) {
      // Stable sigmoid cross-entropy: max(x, 0) - x·y + log(1 + e^-|x|).
      const x = p[i]!;
      return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    }
    const q = clip(p[i]!, EPSILON, 1 - EPSILON);
    return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
  });
}

/**
 * Categorical crossentropy per row over `axis`: probabilities are renormalized to sum 1 and clipped to
 * [ε, 1 - ε] (Keras), logits go through a stable log-softmax. Label smoothing spreads `labelSmoothing` evenly.
 */
export function categoricalCrossentropyRows(
  yTrue: Tensor, yPred: Tensor, fromLogits: boolean, labelSmoothing: number, axis: number,
): Float64Array {
  checkSameSize('categorical_crossentropy', yTrue, yPred);
  const { outer, n, inner } = axisLayout(yPred.shape, axis);
  const out = new Float64Array(outer * inner);
  const logp = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      logProbabilities(yPred.data, (o * n) * inner + i, n, inner, fromLogits, logp);
      let loss = 0;
      for (let j = 0; j < n; j++) {
        const y = yTrue.data[(o * n + j) * inner + i]! * (1 - labelSmoothing) + labelSmoothing / n;
        if (y !== 0) loss -= y * logp[j]!;
      }
      out[o * inner + i] = loss;
    }
  }
  return out;
}

/** Sparse categorical crossentropy per row over `axis`: the integer label picks the class. */
export function sparseCategoricalCrossentropyRows(yTrue: Tensor, yPred: Tensor, fromLogits: boolean, axis: number): Float64Array {
  const { outer, n, inner } = axisLayout(yPred.shape, axis);
  if (yTrue.size !== outer * inner) {
    throw new DataError(
      `sparse_categorical_crossentropy: integer labels ${formatShape(yTrue.shape, false)} need one value per row of y_pred ${formatShape(yPred.shape, false)}`,
    );
  }
  const out = new Float64Array(outer * inner);
  const logp = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const label = yTrue.data[o * inner + i]!;
      if (!Number.isInteger(label) || label < 0 || label >= n) {
        throw new DataError(`sparse_categorical_crossentropy: label ${label} is not a class index in [0, ${n})`);
      }
      logProbabilities(yPred.data, (o * n) * inner + i, n, inner, fromLogits, logp);
      out[o * inner + i] = -logp[label]!;
    }
  }
  return out;
}

/** log of class probabilities along a strided row: log-softmax of logits, or log(clip(p / Σp)). */
function logProbabilities(data: ArrayLike<number>, start: number, n: number, stride: number, fromLogits: boolean, out: Float64Array): void {
  if (fromLogits) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, data[start + j * stride]!);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(data[start + j * stride]! - max);
    const logSum = Math.log(sum) + max;
    for (let j = 0; j < n; j++) out[j] = data[start + j * stride]! - logSum;
    return;
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += data[start + j * stride]!;
  for (let j = 0; j < n; j++) out[j] = Math.log(clip(data[start + j * stride]! / sum, EPSILON, 1 - EPSILON));
}

/** Kullback-Leibler divergence per row: Σ y·log(y / p) with both clipped to [ε, 1]. */
export function klDivergenceRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('kl_divergence', yTrue, yPred);
  return sumOverLastAxis(yPred, (i) => {
    const y = clip(yTrue.data[i]!, EPSILON, 1);
    const p = clip(yPred.data[i]!, EPSILON, 1);
    return y * Math.log(y / p);
  });
}

/** Poisson per row: mean of p - y·log(p + ε). */
export function poissonRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('poisson', yTrue, yPred);
  return meanOverLastAxis(yPred, (i) => yPred.data[i]! - yTrue.data[i]! * Math.log(yPred.data[i]! + EPSILON));
}

/** Mean squared error per row. */
export function meanSquaredErrorRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('mean_squared_error', yTrue, yPred);
  return meanOverLastAxis(yPred, (i) => (yTrue.data[i]! - yPred.data[i]!) ** 2);
}

/** Mean absolute error per row. */
export function meanAbsoluteErrorRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('mean_absolute_error', yTrue, yPred);
  return meanOverLastAxis(yPred, (i) => Math.abs(yTrue.data[i]! - yPred.data[i]!));
}

/** Mean absolute percentage error per row: 100 · mean |y - p| / max(|y|, ε). */
export function meanAbsolutePercentageErrorRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('mean_absolute_percentage_error', yTrue, yPred);
  return meanOverLastAxis(yPred, (i) => (100 * Math.abs(yTrue.data[i]! - yPred.data[i]!)) / Math.max(Math.abs(yTrue.data[i]!), EPSILON));
}

/** Mean squared logarithmic error per row: mean (log(max(p, ε) + 1) - log(max(y, ε) + 1))². */
export function meanSquaredLogarithmicErrorRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('mean_squared_logarithmic_error', yTrue, yPred);
  return meanOverLastAxis(yPred, (i) => (Math.log1p(Math.max(yPred.data[i]!, EPSILON)) - Math.log1p(Math.max(yTrue.data[i]!, EPSILON))) ** 2);
}

/** log(cosh(p - y)) per row, computed as x + softplus(-2x) - log 2 so large errors do not overflow. */
export function logCoshRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('log_cosh', yTrue, yPred);
  return meanOverLastAxis(yPred, (i) => {
    const x = yPred.data[i]! - yTrue.data[i]!;
    return x + softplus(-2 * x) - Math.LN2;
  });
}

/** Cosine similarity per row over `axis` (the metric's sign: +1 for aligned vectors); zero vectors give 0. */
export function cosineSimilarityRows(yTrue: Tensor, yPred: Tensor, axis: number): Float64Array {
  checkSameSize('cosine_similarity', yTrue, yPred);
  const { outer, n, inner } = axisLayout(yPred.shape, axis);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let dot = 0;
      let tt = 0;
      let pp = 0;
      for (let j = 0; j < n; j++) {
        const k = (o * n + j) * inner + i;
        const y = yTrue.data[k]!;
        const p = yPred.data[k]!;
        dot += y * p;
        tt += y * y;
        pp += p * p;
      }
      // l2_normalize divides by sqrt(max(Σx², 1e-12)) (TensorFlow's default epsilon).
      out[o * inner + i] = dot / (Math.sqrt(Math.max(tt, 1e-12)) * Math.sqrt(Math.max(pp, 1e-12)));
    }
  }
  return out;
}

/** Labels for hinge losses: a batch made only of 0 and 1 is mapped to -1 and 1 (Keras convert_binary_labels_to_hinge). */
function hingeLabels(yTrue: Tensor): ArrayLike<number> {
  const t = yTrue.data;
  for (let i = 0; i < t.length; i++) if (t[i] !== 0 && t[i] !== 1) return t;
  return Float64Array.from(t, (v) => 2 * v - 1);
}

/** Hinge per row: mean max(1 - y·p, 0). */
export function hingeRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('hinge', yTrue, yPred);
  const y = hingeLabels(yTrue);
  return meanOverLastAxis(yPred, (i) => Math.max(1 - y[i]! * yPred.data[i]!, 0));
}

/** Squared hinge per row: mean max(1 - y·p, 0)². */
export function squaredHingeRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('squared_hinge', yTrue, yPred);
  const y = hingeLabels(yTrue);
  return meanOverLastAxis(yPred, (i) => Math.max(1 - y[i]! * yPred.data[i]!, 0) ** 2);
}

/** Categorical hinge per row: max(max((1 - y)·p) - Σ y·p + 1, 0). */
export function categoricalHingeRows(yTrue: Tensor, yPred: Tensor): Float64Array {
  checkSameSize('categorical_hinge', yTrue, yPred);
  const [rows, cols] = lastAxisRows(yPred.shape, yPred.size);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let pos = 0;
    let neg = -Infinity;
    for (let c = 0; c < cols; c++) {
      const y = yTrue.data[r * cols + c]!;
      const p = yPred.data[r * cols + c]!;
      pos += y * p;
      neg = Math.max(neg, (1 - y) * p);
    }
    out[r] = Math.max(neg - pos + 1, 0);
  }
  return out;
}

/** Sums `f(i)` over the last axis of `t`: one value per row. */
function sumOverLastAxis(t: Tensor, f: (i: number) => number): Float64Array {
  const [rows, cols] = lastAxisRows(t.shape, t.size);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += f(r * cols + c);
    out[r] = sum;
  }
  return out;
}
