import { type Shape, formatShape, shapeSize } from '../tensor.js';

/**
 * For every flat (row-major) index of a tensor of shape `full`, the flat index of the element of a tensor of shape
 * `small` that broadcasts onto it. `small` has the same rank, and each of its dimensions is 1 or equal to `full`'s.
 * Dropout masks with a noise shape, PReLU's shared alpha and Softmax's reduction groups all use it.
 */
export function broadcastIndex(full: Shape, small: Shape): Int32Array {
  if (full.length !== small.length || full.some((d, k) => small[k] !== 1 && small[k] !== d)) {
    throw new RangeError(`shape ${formatShape(small, false)} does not broadcast to ${formatShape(full, false)}`);
  }
  const rank = full.length;
  // Strides of `small`, 0 on broadcast axes, so that walking `full` with an odometer yields the small index.
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = small[k] === 1 ? 0 : stride;
    stride *= small[k]!;
  }
  const out = new Int32Array(shapeSize(full));
  if (out.length === 0) return out;
  const counter = new Array<number>(rank).fill(0);
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = j;
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]!++;
      j += strides[k]!;
      if (counter[k]! < full[k]!) break;
      j -= strides[k]! * full[k]!;
      counter[k] = 0;
    }
  }
  return out;
}
