/** Flat storage of a tensor. The backend decides which: Float32Array for training, Float64Array for gradient checks. */
export type FloatArray = Float32Array | Float64Array;

/** A tensor shape. Per-sample shapes (no batch dimension) are used for layer configs; tensors carry the full shape. */
export type Shape = readonly number[];

/**
 * A dense, row-major (channels-last) tensor. Tensors are created only by a Backend, which owns the storage:
 * `data` may be a view into memory the backend manages (a WebAssembly.Memory, a SharedArrayBuffer).
 */
export interface Tensor {
  readonly shape: Shape;
  readonly size: number;
  readonly data: FloatArray;
}

/** Number of elements of a shape. */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Keras-style display of a batched shape: (None, 28, 28, 1). */
export function formatShape(shape: Shape, batch: boolean = true): string {
  const dims = batch ? ['None', ...shape.map(String)] : shape.map(String);
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** Rows and columns of a tensor seen as a matrix over its last axis: [rows = size / last, cols = last]. */
export function asMatrix(shape: Shape): [rows: number, cols: number] {
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  return [cols === 0 ? 0 : shapeSize(shape) / cols, cols];
}
