import type { Tensor } from '../tensor.js';
import { axisLayout, checkSameShape, rowOfElement } from './layout.js';

/** Value of one element of an element-wise loss, given the true and predicted value. */
export type ElementValue = (t: number, p: number) => number;
/** Derivative of an element's value with respect to the prediction. */
export type ElementDerivative = (t: number, p: number) => number;

/**
 * Shared core of the losses that apply a function element by element and then average (or sum) over one axis, as
 * Keras' `ops.mean(f(y_true, y_pred), axis=-1)`. Returns one value per row; when `grad` is given, fills it with the
 * derivative of each element's row value with respect to that element of yPred (rows do not share elements).
 */
export function elementwiseRowValues(
  yTrue: Tensor,
  yPred: Tensor,
  axis: number,
  reduce: 'mean' | 'sum',
  value: ElementValue,
  derivative: ElementDerivative,
  grad?: Float64Array,
): Float64Array {
  checkSameShape(yTrue, yPred);
  const layout = axisLayout(yPred.shape, axis);
  const out = new Float64Array(layout.rows);
  const t = yTrue.data;
  const p = yPred.data;
  const scale = reduce === 'mean' ? 1 / layout.axisLen : 1;
  const n = p.length;
  if (layout.inner === 1) {
    // Fast path for the usual last-axis reduction: rows are contiguous.
    const len = layout.axisLen;
    for (let r = 0; r < layout.rows; r++) {
      let s = 0;
      for (let k = r * len, end = k + len; k < end; k++) s += value(t[k]!, p[k]!);
      out[r] = s * scale;
    }
  } else {
    for (let i = 0; i < n; i++) out[rowOfElement(layout, i)]! += value(t[i]!, p[i]!);
    if (scale !== 1) for (let r = 0; r < out.length; r++) out[r]! *= scale;
  }
  if (grad) for (let i = 0; i < n; i++) grad[i] = derivative(t[i]!, p[i]!) * scale;
  return out;
}
