import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type Shape, formatShape } from '../tensor.js';

/** Keras backend epsilon, added to norms before dividing. */
export const EPSILON = 1e-7;

/** An `axis` argument: one axis or several, negative ones counting from the end (as in Keras). */
export const axisSchema = z.union([z.number().int(), z.array(z.number().int()).min(1)], {
  error: 'expected an integer axis or a non-empty array of integer axes',
});

/**
 * Euclidean norms over `axis` of a tensor of `shape`: `group[i]` is the norm slot of element i and `norms[g]` the
 * norm of slot g (Keras `sqrt(sum(square(w), axis, keepdims=True))`, kept flat).
 */
export function axisNorms(data: ArrayLike<number>, shape: Shape, axis: number | readonly number[], owner: string): {
  group: Uint32Array;
  norms: Float64Array;
} {
  const reduced = resolveAxes(shape, axis, owner);
  const group = new Uint32Array(data.length);
  // Strides of the kept axes in the (keepdims) norm tensor; reduced axes contribute nothing to the slot index.
  const slotStride = new Array<number>(shape.length).fill(0);
  let slots = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    if (reduced.has(a)) continue;
    slotStride[a] = slots;
    slots *= shape[a]!;
  }
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < data.length; i++) {
    let slot = 0;
    for (let a = 0; a < shape.length; a++) slot += index[a]! * slotStride[a]!;
    group[i] = slot;
    // Advance the row-major multi-index.
    for (let a = shape.length - 1; a >= 0; a--) {
      index[a] = index[a]! + 1;
      if (index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  const sums = new Float64Array(slots);
  for (let i = 0; i < data.length; i++) sums[group[i]!] = sums[group[i]!]! + data[i]! ** 2;
  for (let g = 0; g < slots; g++) sums[g] = Math.sqrt(sums[g]!);
  return { group, norms: sums };
}

/** Axes as a set of non-negative indices; out-of-range axes throw a ConfigError naming the constraint. */
function resolveAxes(shape: Shape, axis: number | readonly number[], owner: string): Set<number> {
  const axes = typeof axis === 'number' ? [axis] : axis;
  const out = new Set<number>();
  for (const a of axes) {
    const resolved = a < 0 ? a + shape.length : a;
    if (resolved < 0 || resolved >= shape.length) {
      throw new ConfigError(
        `${owner}: axis ${a} is out of range for a weight of shape ${formatShape(shape, false)} (rank ${shape.length})`,
        [{ path: 'axis', message: `out of range for rank ${shape.length}`, received: a }],
      );
    }
    out.add(resolved);
  }
  return out;
}
