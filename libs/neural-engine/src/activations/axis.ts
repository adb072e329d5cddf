import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Shape } from '../tensor.js';

/** The `axis` argument of axis-wise activations: an integer, negative counting from the end (Keras). */
export const axisSchema = z.number().int();

/**
 * A tensor seen as [outer, length, inner] around one axis: element (o, k, i) sits at (o·length + k)·inner + i, so
 * any axis is handled by the same loops as the last one (inner = 1).
 */
export interface AxisView {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
  /** The axis as a non-negative index. */
  readonly axis: number;
}

/** The [outer, length, inner] view of `shape` around `axis`; an axis outside the shape is a ConfigError. */
export function axisView(shape: Shape, axis: number, activation: string): AxisView {
  const rank = shape.length;
  const a = axis < 0 ? rank + axis : axis;
  if (a < 0 || a >= rank) {
    throw new ConfigError(`${activation}: axis ${axis} is out of range for a tensor of rank ${rank} (shape [${shape.join(', ')}])`, [
      { path: 'axis', message: `out of range for rank ${rank}`, received: axis },
    ]);
  }
  let outer = 1;
  for (let i = 0; i < a; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = a + 1; i < rank; i++) inner *= shape[i]!;
  return { outer, length: shape[a]!, inner, axis: a };
}
