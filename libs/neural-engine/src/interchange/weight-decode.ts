import { shapeSize } from '../tensor.js';
import { isRecord } from './keras-case.js';
import { modelError } from './interchange-error.js';

/** One weight as Kiln imports it: its name in the file, its shape and its values. */
export interface ImportedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A TensorFlow.js weight spec (`weightsManifest[i].weights[j]`, or `weightSpecs` of saved artifacts). */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
  /** TF.js marks optimizer slots saved with `includeOptimizer` as group "optimizer". */
  group?: string;
}

/** Bytes per stored value for each dtype TensorFlow.js writes (quantized dtypes included). */
const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/** IEEE half → number (TensorFlow.js float16 quantization). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * Reads weights stored one after another as TensorFlow.js does (little-endian; float32, int32, or quantized uint8 /
 * uint16 with scale and min, or float16), checking the byte count.
 */
export function decodeWeights(specs: readonly TfjsWeightSpec[], data: Uint8Array, path = 'weightsManifest'): ImportedWeight[] {
  // Specs often arrive as parsed JSON from a client: check the list itself too, not only its entries.
  if (!Array.isArray(specs as unknown)) throw modelError(path, 'expected an array of weight specs {name, shape, dtype}', specs);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  const out = specs.map((spec, i) => {
    const where = `${path}[${i}]`;
    if (!isRecord(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) throw modelError(where, 'expected a weight spec {name, shape, dtype}', spec);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES[stored];
    if (!bytes || (!spec.quantization && stored !== 'float32' && stored !== 'int32')) {
      throw modelError(`${where}.dtype`, `weight ${spec.name} has dtype ${stored}; Kiln reads float32, int32 and TensorFlow.js uint8/uint16/float16 quantization`, stored);
    }
    const n = shapeSize(spec.shape);
    if (offset + n * bytes > data.byteLength) {
      throw modelError(where, `weight ${spec.name} ${JSON.stringify(spec.shape)} needs ${n * bytes} bytes at offset ${offset}, but the weight data has ${data.byteLength} bytes`);
    }
    const values = new Float32Array(n);
    const scale = spec.quantization?.scale ?? 1;
    const min = spec.quantization?.min ?? 0;
    for (let k = 0; k < n; k++, offset += bytes) {
      if (stored === 'float32') values[k] = view.getFloat32(offset, true);
      else if (stored === 'int32') values[k] = view.getInt32(offset, true);
      else if (stored === 'uint8') values[k] = view.getUint8(offset) * scale + min;
      else if (stored === 'uint16') values[k] = view.getUint16(offset, true) * scale + min;
      else values[k] = halfToNumber(view.getUint16(offset, true));
    }
    return { name: spec.name, shape: [...spec.shape], values };
  });
  if (offset !== data.byteLength) {
    throw modelError(path, `the weight data has ${data.byteLength} bytes but the manifest describes ${offset}`);
  }
  return out;
}

/** Concatenates byte chunks (shard files, or the ArrayBuffer[] TensorFlow.js may hand over). */
export function concatBytes(chunks: readonly (Uint8Array | ArrayBuffer)[]): Uint8Array {
  const arrays = chunks.map((c) => (c instanceof Uint8Array ? c : new Uint8Array(c)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.byteLength;
  }
  return out;
}
