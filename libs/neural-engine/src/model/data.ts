import type { Backend } from '../backend/backend.js';
import { DataError } from '../errors.js';
import { allFinite } from '../kernels/finite.js';
import { type FloatArray, type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';

/** A nested array of numbers: one sample per element of the outer array. */
export type NestedArray = number | NestedArray[];

/** Data as callers hand it to fit/evaluate/predict: nested arrays, or a flat buffer with its full shape. */
export type TensorInput = NestedArray[] | Tensor | { shape: readonly number[]; data: ArrayLike<number> };

/** Validated data: the full shape (batch first) and the values in row-major order. */
export interface ArrayData {
  shape: Shape;
  data: ArrayLike<number>;
  /**
   * Set (to the data's label) when the values may still hold NaN or Infinity: gatherSamples checks each batch it copies
   * (see toArrayData's `deferFiniteCheck`).
   */
  uncheckedLabel?: string;
}

/**
 * Converts input to a flat shape + values, rejecting ragged nesting, non-numbers, NaN and Infinity with a message that
 * names the offending position: `x[12][3] is NaN`. With `deferFiniteCheck`, a float array's values are left for
 * gatherSamples to check in the backend, on the batch it copies anyway (trainOnBatch, predict: a pass over every
 * value per call, 3-5 % of a W1 step in JS); its error names the position the same way.
 */
export function toArrayData(input: TensorInput, label: string, { deferFiniteCheck = false } = {}): ArrayData {
  if (Array.isArray(input)) return fromNested(input, label);
  if (!input || typeof input !== 'object' || !('shape' in input) || !('data' in input)) {
    throw new DataError(`${label} must be a nested array of numbers or {shape, data}, received ${typeof input}`);
  }
  const shape = [...input.shape];
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new DataError(`${label} has an invalid shape ${JSON.stringify(shape)}; expected [samples, ...features]`);
  }
  if (shapeSize(shape) !== input.data.length) {
    throw new DataError(`${label} has shape ${formatShape(shape, false)} (${shapeSize(shape)} values) but ${input.data.length} values`);
  }
  if (deferFiniteCheck && (input.data instanceof Float32Array || input.data instanceof Float64Array)) {
    return { shape, data: input.data, uncheckedLabel: label };
  }
  checkFinite(input.data, shape, label);
  return { shape, data: input.data };
}

function fromNested(input: NestedArray[], label: string): ArrayData {
  const shape: number[] = [];
  let level: NestedArray = input;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  const values = new Float64Array(shapeSize(shape));
  let offset = 0;
  const walk = (node: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') {
        throw new DataError(`${label}${path} is ${Array.isArray(node) ? 'an array' : JSON.stringify(node)}; expected a number (ragged or non-numeric data)`);
      }
      if (!Number.isFinite(node)) throw new DataError(`${label}${path} is ${node}; every value must be a finite number`);
      values[offset++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      const got = Array.isArray(node) ? `${node.length} elements` : JSON.stringify(node);
      throw new DataError(`${label}${path} has ${got}; expected ${shape[depth]} elements like ${label}${'[0]'.repeat(depth)} (ragged data)`);
    }
    for (let i = 0; i < node.length; i++) walk(node[i]!, depth + 1, `${path}[${i}]`);
  };
  walk(input, 0, '');
  return { shape, data: values };
}

function checkFinite(data: ArrayLike<number>, shape: Shape, label: string): void {
  // Float arrays hold numbers only, so one branch-free pass tells whether all are finite; only data that fails it is
  // searched for the first offending value, for the message. Plain arrays may hold strings or null, which the pass
  // would let through. Integer typed arrays cannot hold NaN or Infinity.
  if (data instanceof Float32Array || data instanceof Float64Array ? allFinite(data) : ArrayBuffer.isView(data)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) throw new DataError(`${label}${indexPath(i, shape)} is ${v}; every value must be a finite number`);
  }
}

/** `[3][1]` for flat index i of a tensor of `shape`. */
function indexPath(i: number, shape: Shape): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx.unshift(i % n);
    i = Math.floor(i / n);
  }
  return idx.map((k) => `[${k}]`).join('');
}

/** Checks that data has the per-sample shape a model expects (a flat row of matching size is reshaped, as for 784 → 28x28x1). */
export function conformToShape(data: ArrayData, expected: Shape, label: string): ArrayData {
  const sampleShape = data.shape.slice(1);
  if (sampleShape.length === expected.length && sampleShape.every((d, i) => d === expected[i])) return data;
  if (shapeSize(sampleShape) === shapeSize(expected) && sampleShape.length === 1) {
    return { ...data, shape: [data.shape[0]!, ...expected] };
  }
  throw new DataError(`${label} has per-sample shape ${formatShape(sampleShape, false)}; the model expects ${formatShape(expected, false)}`);
}

/** Number of samples (first axis). */
export function sampleCount(data: ArrayData): number {
  return data.shape[0] ?? 0;
}

/**
 * Copies the samples at indices[start..end) into a new backend tensor [end - start, ...], and checks that they are
 * finite when their data was left unchecked (the copy's values: a float64 value beyond float32's range fails too).
 */
export function gatherSamples(backend: Backend, data: ArrayData, indices: ArrayLike<number>, start: number, end: number): Tensor {
  const out = copySamples(backend, data, indices, start, end);
  if (data.uncheckedLabel !== undefined && !backend.allFinite(out)) throwNonFinite(data, data.uncheckedLabel, indices, start, out);
  return out;
}

function copySamples(backend: Backend, data: ArrayData, indices: ArrayLike<number>, start: number, end: number): Tensor {
  const sampleShape = data.shape.slice(1);
  const per = shapeSize(sampleShape);
  const shape = [end - start, ...sampleShape];
  if (end > start && ArrayBuffer.isView(data.data) && consecutive(indices, start, end)) {
    // One block of the source (predict, trainOnBatch, unshuffled fit): one copy, and no zero-filling first.
    const from = indices[start]! * per;
    return backend.fromValues(shape, (data.data as FloatArray).subarray(from, from + (end - start) * per));
  }
  const out = backend.zeros(shape);
  const target = out.data;
  const source = data.data;
  const isTyped = ArrayBuffer.isView(source);
  for (let r = start; r < end; r++) {
    const from = indices[r]! * per;
    const to = (r - start) * per;
    if (isTyped) target.set((source as FloatArray).subarray(from, from + per), to);
    else for (let j = 0; j < per; j++) target[to + j] = source[from + j]!;
  }
  return out;
}

/** Throws the DataError naming the first sample value whose copy in `batch` is not finite. */
function throwNonFinite(data: ArrayData, label: string, indices: ArrayLike<number>, start: number, batch: Tensor): never {
  const per = shapeSize(data.shape.slice(1));
  const at = batch.data.findIndex((v) => !Number.isFinite(v));
  const source = indices[start + Math.floor(at / per)]! * per + (at % per);
  const v = data.data[source]!;
  const path = `${label}${indexPath(source, data.shape)}`;
  if (Number.isFinite(v)) throw new DataError(`${path} is ${v}, beyond the range of ${backendPrecision(batch)}; every value must be a finite number there`);
  throw new DataError(`${path} is ${v}; every value must be a finite number`);
}

function backendPrecision(t: Tensor): string {
  return t.data instanceof Float32Array ? 'float32' : 'float64';
}

/** Whether indices[start..end) run up by one. */
function consecutive(indices: ArrayLike<number>, start: number, end: number): boolean {
  for (let r = start + 1; r < end; r++) if (indices[r] !== indices[r - 1]! + 1) return false;
  return true;
}

/** Gathers per-sample weights for a batch. */
export function gatherWeights(weights: ArrayLike<number> | null, indices: ArrayLike<number>, start: number, end: number): Float64Array | null {
  if (!weights) return null;
  const out = new Float64Array(end - start);
  for (let r = start; r < end; r++) out[r - start] = weights[indices[r]!]!;
  return out;
}

/** Rows [start, end) of `data` as a new ArrayData (validation split). */
export function sliceSamples(data: ArrayData, start: number, end: number): ArrayData {
  const per = shapeSize(data.shape.slice(1));
  const values = new Float64Array((end - start) * per);
  for (let i = 0; i < values.length; i++) values[i] = data.data[start * per + i]!;
  return { shape: [end - start, ...data.shape.slice(1)], data: values };
}
