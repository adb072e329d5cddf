import { DataError } from '../errors.js';
import { type Tensor, formatShape } from '../tensor.js';
import {
  backpropRowProbabilities,
  clipPasses,
  clipProbability,
  computeRowProbabilities,
  logSumExpRow,
  rowProbabilities,
  softmaxRow,
} from './categorical-probabilities.js';
import { type AxisLayout, axisLayout, resolveAxis } from './layout.js';

/** Options of sparse categorical crossentropy (Keras `sparse_categorical_crossentropy`). */
export interface SparseCategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities. */
  fromLogits?: boolean;
  /** A label whose rows count for nothing: value 0, no gradient, and left out of the mean (Keras masking). */
  ignoreClass?: number | null;
  /** The class axis of yPred. */
  axis?: number;
}

/**
 * Checks yTrue against yPred for a sparse loss: one label per row, shaped as yPred without its class axis or with a
 * 1 in its place (Keras squeezes a trailing 1). Returns the layout of yPred.
 */
export function sparseLayout(yTrue: Tensor, yPred: Tensor, axis: number): AxisLayout {
  const layout = axisLayout(yPred.shape, axis);
  const a = resolveAxis(axis, yPred.shape.length);
  const without = yPred.shape.filter((_, k) => k !== a);
  const withOne = yPred.shape.map((d, k) => (k === a ? 1 : d));
  const same = (s: readonly number[]) => s.length === yTrue.shape.length && s.every((d, k) => d === yTrue.shape[k]);
  if (!same(without) && !same(withOne)) {
    throw new DataError(
      `sparse labels of shape ${formatShape(yTrue.shape, false)} do not match predictions of shape ${formatShape(yPred.shape, false)} `
      + `(expected ${formatShape(without, false)} or ${formatShape(withOne, false)})`,
    );
  }
  return layout;
}

/** Per row: 1 if its label counts, 0 if it equals `ignoreClass`. */
export function sparseValidRows(yTrue: Tensor, ignoreClass: number | null | undefined): Uint8Array {
  const mask = new Uint8Array(yTrue.size);
  for (let r = 0; r < mask.length; r++) mask[r] = ignoreClass != null && yTrue.data[r] === ignoreClass ? 0 : 1;
  return mask;
}

/**
 * Sparse categorical crossentropy per row: -log q[label], with q = clip(p / Σp, ε, 1 - ε) from probabilities or the
 * exact log-softmax from logits. Rows labelled `ignoreClass` give 0.
 */
export function sparseCategoricalCrossentropyValues(
  yTrue: Tensor, yPred: Tensor, options: SparseCategoricalCrossentropyOptions = {}, grad?: Float64Array,
): Float64Array {
  const { fromLogits = false, ignoreClass = null, axis = -1 } = options;
  const { outer, axisLen: len, inner, rows } = sparseLayout(yTrue, yPred, axis);
  const labels = yTrue.data;
  const p = yPred.data;
  const out = new Float64Array(rows);
  const soft = new Float64Array(len);
  const g = new Float64Array(len);
  const rp = rowProbabilities(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const r = o * inner + i;
      const base = o * len * inner + i;
      const label = labels[r]!;
      if (ignoreClass != null && label === ignoreClass) {
        if (grad) for (let a = 0; a < len; a++) grad[base + a * inner] = 0;
        continue;
      }
      if (!Number.isInteger(label) || label < 0 || label >= len) {
        throw new DataError(`sparse label ${label} at row ${r} is not a class index in [0, ${len - 1}]`);
      }
      if (fromLogits) {
        out[r] = logSumExpRow(p, base, inner, len) - p[base + label * inner]!;
        if (grad) {
          softmaxRow(p, base, inner, len, soft);
          for (let a = 0; a < len; a++) grad[base + a * inner] = soft[a]! - (a === label ? 1 : 0);
        }
      } else {
        computeRowProbabilities(p, base, inner, len, false, rp);
        const q = rp.probs[label]!;
        out[r] = -Math.log(clipProbability(q));
        if (grad) {
          g.fill(0);
          g[label] = clipPasses(q) ? -1 / q : 0;
          backpropRowProbabilities(g, rp, false, grad, base, inner, len);
        }
      }
    }
  }
  return out;
}
