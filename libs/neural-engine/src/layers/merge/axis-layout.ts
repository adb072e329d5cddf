import { type Shape, shapeSize } from '../../tensor.js';

/**
 * A per-sample shape seen as [pre, k, post] around one of its axes: the flat index of element (p, kk, q) of sample b
 * is b·size + (p·k + kk)·post + q. Dot contracts and L2-normalizes along such an axis.
 */
export interface AxisLayout {
  pre: number;
  k: number;
  post: number;
  /** Elements per sample. */
  size: number;
}

/** The [pre, k, post] layout of a per-sample shape around its sample axis `axis` (0-based, batch not counted). */
export function axisLayout(shape: Shape, axis: number): AxisLayout {
  const pre = shapeSize(shape.slice(0, axis));
  const k = shape[axis]!;
  const post = shapeSize(shape.slice(axis + 1));
  return { pre, k, post, size: pre * k * post };
}
