import type { FloatArray, Tensor } from '../tensor.js';
import { elementwiseRowValues } from './elementwise.js';
import { axisLayout, checkSameShape } from './layout.js';

/**
 * Whether every label is 0 or 1, in which case Keras' hinge losses read them as -1 and 1 (the check is over the
 * whole batch, as Keras' `convert_binary_labels_to_hinge`).
 */
export function areBinaryLabels(yTrue: FloatArray): boolean {
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] !== 0 && yTrue[i] !== 1) return false;
  return true;
}

/** Hinge loss per row: mean(max(1 - t·p, 0)) over the last axis, with {0, 1} labels converted to {-1, 1}. */
export function hingeValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  const convert = areBinaryLabels(yTrue.data);
  const label = (t: number) => (convert ? 2 * t - 1 : t);
  return elementwiseRowValues(
    yTrue, yPred, -1, 'mean',
    (t, p) => Math.max(1 - label(t) * p, 0),
    // At the kink (t·p = 1) TF's maximum passes the gradient to its first argument, so the margin counts as active.
    (t, p) => (1 - label(t) * p >= 0 ? -label(t) : 0),
    grad,
  );
}

/** Squared hinge loss per row: mean(max(1 - t·p, 0)²) over the last axis, with {0, 1} labels converted to {-1, 1}. */
export function squaredHingeValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  const convert = areBinaryLabels(yTrue.data);
  const label = (t: number) => (convert ? 2 * t - 1 : t);
  return elementwiseRowValues(
    yTrue, yPred, -1, 'mean',
    (t, p) => Math.max(1 - label(t) * p, 0) ** 2,
    (t, p) => -2 * label(t) * Math.max(1 - label(t) * p, 0),
    grad,
  );
}

/**
 * Categorical hinge per row: max(neg - pos + 1, 0) with pos = Σ t·p and neg = max((1 - t)·p) over the last axis.
 * Labels are used as given (no {0, 1} conversion, as Keras). Ties for the maximum share its gradient equally, as
 * TF's reduce_max does.
 */
export function categoricalHingeValues(yTrue: Tensor, yPred: Tensor, grad?: Float64Array): Float64Array {
  checkSameShape(yTrue, yPred);
  const { rows, axisLen: len } = axisLayout(yPred.shape, -1);
  const t = yTrue.data;
  const p = yPred.data;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * len;
    let pos = 0;
    let neg = -Infinity;
    for (let a = 0; a < len; a++) {
      pos += t[base + a]! * p[base + a]!;
      neg = Math.max(neg, (1 - t[base + a]!) * p[base + a]!);
    }
    const margin = neg - pos + 1;
    out[r] = Math.max(margin, 0);
    if (!grad) continue;
    let ties = 0;
    for (let a = 0; a < len; a++) if ((1 - t[base + a]!) * p[base + a]! === neg) ties++;
    for (let a = 0; a < len; a++) {
      const k = base + a;
      const dNeg = (1 - t[k]!) * p[k]! === neg ? (1 - t[k]!) / ties : 0;
      grad[k] = margin >= 0 ? dNeg - t[k]! : 0;
    }
  }
  return out;
}
