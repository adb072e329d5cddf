import { DataError } from '../errors.js';
import { type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';

/** Keras `backend.epsilon()`: the clipping constant of every loss. */
export const EPSILON = 1e-7;

/** Resolves a possibly negative axis against a rank (Keras/NumPy convention); out-of-range axes throw a DataError. */
export function resolveAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new DataError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/**
 * A tensor seen as [outer, axisLen, inner] around one axis: each (outer, inner) position is a row, the axis is what a
 * loss reduces over. Rows are numbered outer-major (row = o * inner + i), which is the row-major order of the shape
 * without the axis.
 */
export interface AxisLayout {
  readonly outer: number;
  readonly axisLen: number;
  readonly inner: number;
  readonly rows: number;
}

/** The [outer, axisLen, inner] view of `shape` around `axis` (negative axes count from the end). */
export function axisLayout(shape: Shape, axis: number): AxisLayout {
  if (shape.length === 0) throw new DataError('a loss needs tensors of rank >= 1, received a scalar');
  const a = resolveAxis(axis, shape.length);
  const outer = shapeSize(shape.slice(0, a));
  const axisLen = shape[a]!;
  const inner = shapeSize(shape.slice(a + 1));
  return { outer, axisLen, inner, rows: outer * inner };
}

/** Row of flat element `i` in an axis layout. */
export function rowOfElement(layout: AxisLayout, i: number): number {
  const block = layout.axisLen * layout.inner;
  return Math.floor(i / block) * layout.inner + (i % layout.inner);
}

/**
 * Checks that yTrue and yPred describe the same values: equal shapes, or shapes that differ only by a trailing 1
 * (Keras `squeeze_or_expand_to_same_rank`, e.g. labels of shape [batch] against predictions of shape [batch, 1]).
 */
export function checkSameShape(yTrue: Tensor, yPred: Tensor): void {
  const a = yTrue.shape;
  const b = yPred.shape;
  const same = (x: Shape, y: Shape) => x.length === y.length && x.every((d, i) => d === y[i]);
  const ok = same(a, b)
    || (a.length === b.length + 1 && a[a.length - 1] === 1 && same(a.slice(0, -1), b))
    || (b.length === a.length + 1 && b[b.length - 1] === 1 && same(b.slice(0, -1), a));
  if (!ok || yTrue.size !== yPred.size) {
    throw new DataError(`yTrue of shape ${formatShape(a, false)} does not match yPred of shape ${formatShape(b, false)}`);
  }
}

/** Which row each element of a tensor belongs to, when a loss reduces over a set of axes. */
export interface RowMap {
  /** Number of rows (positions of the axes that are not reduced). */
  readonly rows: number;
  /** Whether the batch axis (axis 0) is among the reduced ones, i.e. a row spans several samples. */
  readonly batchReduced: boolean;
  rowOf(i: number): number;
}

/**
 * The row map of `shape` reduced over `axes` (any order, negative allowed; duplicates ignored). Rows are numbered in
 * the row-major order of the remaining axes, so with the batch axis kept, each sample owns a contiguous block.
 */
export function rowMap(shape: Shape, axes: readonly number[]): RowMap {
  if (shape.length === 0) throw new DataError('a loss needs tensors of rank >= 1, received a scalar');
  const reduced = new Set(axes.map((a) => resolveAxis(a, shape.length)));
  const batchReduced = reduced.has(0);
  if (reduced.size === 1) {
    const layout = axisLayout(shape, [...reduced][0]!);
    return { rows: layout.rows, batchReduced, rowOf: (i) => rowOfElement(layout, i) };
  }
  // General case: precompute the row of every element from its coordinates.
  const kept = shape.map((_, k) => k).filter((k) => !reduced.has(k));
  const rows = shapeSize(kept.map((k) => shape[k]!));
  const size = shapeSize(shape);
  const table = new Int32Array(size);
  const coords = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (const k of kept) r = r * shape[k]! + coords[k]!;
    table[i] = r;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++coords[k]! < shape[k]!) break;
      coords[k] = 0;
    }
  }
  return { rows, batchReduced, rowOf: (i) => table[i]! };
}
