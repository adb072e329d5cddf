import { DataError } from '../errors.js';
import { type FloatArray, formatShape } from '../tensor.js';

/*
 * Binary formats. Weights: a manifest (names, shapes, order) plus one little-endian buffer, as TensorFlow.js stores
 * them. Training state: one self-describing container — magic, version, a JSON header, then every array — holding
 * weights, optimizer slots and the RNG state, so a run restored from it continues bit for bit.
 */

/** Name and shape of one weight, in the order the values are stored. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'float64';
}

/** Weights as a manifest plus little-endian bytes. */
export interface SavedWeights {
  manifest: WeightSpec[];
  data: Uint8Array;
}

const MAGIC = 0x4e4c494b; // "KILN" little-endian
const VERSION = 1;

/** Concatenates arrays as little-endian bytes, each in its own dtype. */
export function packArrays(arrays: readonly FloatArray[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const a of arrays) {
    const step = a.BYTES_PER_ELEMENT;
    for (let i = 0; i < a.length; i++, offset += step) {
      if (step === 4) view.setFloat32(offset, a[i]!, true);
      else view.setFloat64(offset, a[i]!, true);
    }
  }
  return out;
}

/** Splits little-endian bytes back into arrays of the given lengths and dtypes. */
export function unpackArrays(bytes: Uint8Array, specs: readonly { length: number; dtype: 'float32' | 'float64' }[]): FloatArray[] {
  const need = specs.reduce((n, s) => n + s.length * (s.dtype === 'float32' ? 4 : 8), 0);
  if (bytes.byteLength !== need) throw new RangeError(`expected ${need} bytes of weights, received ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  return specs.map((s) => {
    const out = s.dtype === 'float32' ? new Float32Array(s.length) : new Float64Array(s.length);
    const step = out.BYTES_PER_ELEMENT;
    for (let i = 0; i < s.length; i++, offset += step) out[i] = step === 4 ? view.getFloat32(offset, true) : view.getFloat64(offset, true);
    return out;
  });
}

/** Header of a training-state container. */
export interface TrainingStateHeader {
  /** Epochs completed: resume with initialEpoch = epoch. */
  epoch: number;
  seed: number;
  /** The model's generator state. */
  rng: number[];
  /** States of the generators of layers that have their own seed. */
  layerRngs: { layer: string; state: number[] }[];
  weights: WeightSpec[];
  optimizer: { iterations: number; arrays: { length: number; dtype: 'float32' | 'float64' }[] };
}

/** Writes header + arrays into one container. */
export function encodeContainer(header: TrainingStateHeader, arrays: readonly FloatArray[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const payload = packArrays(arrays);
  const out = new Uint8Array(12 + json.byteLength + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.byteLength, true);
  out.set(json, 12);
  out.set(payload, 12 + json.byteLength);
  return out;
}

/** Reads a container written by encodeContainer; errors say what is wrong with the bytes. */
export function decodeContainer(bytes: Uint8Array): { header: TrainingStateHeader; arrays: FloatArray[] } {
  if (bytes.byteLength < 12) throw new RangeError(`training state is ${bytes.byteLength} bytes; too short to be one`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new RangeError('not a Kiln training state (bad magic number)');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new RangeError(`training state version ${version} is not supported (expected ${VERSION})`);
  const jsonLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as TrainingStateHeader;
  const specs = [
    ...header.weights.map((w) => ({ length: w.shape.reduce((a, b) => a * b, 1), dtype: w.dtype })),
    ...header.optimizer.arrays,
  ];
  return { header, arrays: unpackArrays(bytes.subarray(12 + jsonLength), specs) };
}

/** Throws a DataError unless saved weights have exactly this model's names and shapes, in order. */
export function checkManifest(got: readonly WeightSpec[], expected: readonly WeightSpec[]): void {
  if (got.length !== expected.length) throw new DataError(`saved weights have ${got.length} arrays; this model has ${expected.length}`);
  got.forEach((w, i) => {
    const e = expected[i]!;
    if (w.name !== e.name || w.shape.join() !== e.shape.join()) {
      throw new DataError(`saved weight ${i} is ${w.name} ${formatShape(w.shape, false)}; this model expects ${e.name} ${formatShape(e.shape, false)}`);
    }
  });
}
