import { type ByteSource, asBytes } from '../core/byte-source.js';
import { DatasetError } from '../core/dataset-error.js';
import { float32Problem, isStorableFloat32 } from '../core/float32.js';
import { type NpyDtype, type NpyHeader, npyPreambleLength, parseNpyHeader } from './npy-header.js';

/** Receives an NPY array sample by sample. */
export interface NpySink {
  /** The header is known: check it against the other part and prepare (before any data is read). */
  header(header: NpyHeader, sampleShape: number[]): void;
  /** Where the current sample's values go. */
  target(): Float32Array;
  targetOffset(): number;
  /** The current sample is complete; a returned promise is awaited before reading on (backpressure). */
  sampleDone(): Promise<void> | void;
}

type Reader = (view: DataView, at: number) => number;

function elementReader(dtype: NpyDtype): Reader {
  const le = dtype.littleEndian;
  switch (`${dtype.kind}${dtype.itemSize}`) {
    case 'f2': return (v, at) => float16(v.getUint16(at, le));
    case 'f4': return (v, at) => v.getFloat32(at, le);
    case 'f8': return (v, at) => v.getFloat64(at, le);
    case 'i1': return (v, at) => v.getInt8(at);
    case 'i2': return (v, at) => v.getInt16(at, le);
    case 'i4': return (v, at) => v.getInt32(at, le);
    // int64/uint64 beyond 2^24 lose precision as float32; that is accepted (they are still finite).
    case 'i8': return (v, at) => Number(v.getBigInt64(at, le));
    case 'u1': case 'b1': return (v, at) => v.getUint8(at);
    case 'u2': return (v, at) => v.getUint16(at, le);
    case 'u4': return (v, at) => v.getUint32(at, le);
    case 'u8': return (v, at) => Number(v.getBigUint64(at, le));
    default: throw new Error(`no reader for ${dtype.descr}`);
  }
}

/** IEEE half precision to a double. */
function float16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function describeShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** `x[12][0][3]` for element `k` of sample `row` with per-sample shape `shape`. */
function elementPath(part: string, row: number, k: number, shape: readonly number[], scalar: boolean): string {
  if (scalar) return `${part}[${row}]`;
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(k % shape[d]!);
    k = Math.floor(k / shape[d]!);
  }
  return `${part}[${row}]${idx.map((i) => `[${i}]`).join('')}`;
}

/**
 * Streams one NPY array (format 1.0, 2.0 or 3.0) into `sink`, converting every element to float32 and checking that
 * it is finite. Memory: the header, one partial element between pieces, and whatever the sink holds.
 */
export async function readNpy(source: ByteSource, part: 'x' | 'y', sink: NpySink): Promise<NpyHeader> {
  let head: Uint8Array = new Uint8Array(0);
  let header: NpyHeader | null = null;
  let read: Reader = () => 0;
  let itemSize = 1;
  let sampleSize = 1;
  let sampleShape: number[] = [1];
  let scalar = true;
  let total = 0; // elements expected
  let done = 0; // elements read
  let k = 0; // element within the current sample
  let out: Float32Array = new Float32Array(0);
  let base = 0;
  const carry = new Uint8Array(8); // a partial element between pieces
  let carried = 0;

  // Stores one value; returns the sink's promise when a sample ends and the sink wants to be awaited. Not async, so
  // that the common case costs no promise.
  const put = (v: number): Promise<void> | void => {
    if (!isStorableFloat32(v)) {
      const row = Math.floor(done / sampleSize);
      const path = elementPath(part, row, k, sampleShape, scalar);
      throw new DatasetError('INVALID_VALUE', `${path}: expected a finite number, received ${v} (${float32Problem(v)})`, {
        row: row + 1,
        column: part,
        details: { path, received: String(v) },
      });
    }
    out[base + k] = v;
    done++;
    if (++k < sampleSize) return undefined;
    k = 0;
    const wait = sink.sampleDone();
    if (wait) return wait.then(nextSample);
    nextSample();
    return undefined;
  };
  const nextSample = (): void => {
    if (done < total) {
      out = sink.target();
      base = sink.targetOffset();
    }
  };

  for await (let piece of asBytes(source)) {
    if (!header) {
      head = head.length === 0 ? piece : concat(head, piece);
      const length = npyPreambleLength(head, part);
      if (length === null || head.length < length) {
        if (head === piece) head = piece.slice(); // the source may reuse its buffer
        continue;
      }
      header = parseNpyHeader(head.subarray(0, length), part);
      piece = head.subarray(length);
      head = new Uint8Array(0);
      ({ sampleShape, scalar, sampleSize, total } = checkShape(header, part));
      sink.header(header, sampleShape);
      read = elementReader(header.dtype);
      itemSize = header.dtype.itemSize;
      out = sink.target();
      base = sink.targetOffset();
    }
    let i = 0;
    if (carried > 0) {
      const need = Math.min(itemSize - carried, piece.length);
      carry.set(piece.subarray(0, need), carried);
      carried += need;
      i = need;
      if (carried < itemSize) continue;
      if (done >= total) throw extraData(part, header);
      const wait = put(read(new DataView(carry.buffer, 0, itemSize), 0));
      if (wait) await wait;
      carried = 0;
    }
    const whole = Math.floor((piece.length - i) / itemSize);
    if (done + whole > total) throw extraData(part, header);
    const view = new DataView(piece.buffer, piece.byteOffset + i, whole * itemSize);
    for (let e = 0; e < whole; e++) {
      const wait = put(read(view, e * itemSize));
      if (wait) await wait;
    }
    i += whole * itemSize;
    if (i < piece.length) {
      carry.set(piece.subarray(i), 0);
      carried = piece.length - i;
    }
  }
  if (!header) {
    const length = head.length === 0 ? null : npyPreambleLength(head, part);
    throw new DatasetError('MALFORMED_NPY', `${part}: the file ends inside the NPY header (${head.length} bytes${length ? ` of ${length}` : ''})`, { column: part });
  }
  if (done < total || carried > 0) {
    const expected = total * itemSize;
    throw new DatasetError('MALFORMED_NPY', `${part}: the file is truncated: shape ${describeShape(header.shape)} of ${header.dtype.descr} needs ${expected} bytes of data, `
      + `received ${done * itemSize + carried}`, { column: part, details: { expected: String(expected) } });
  }
  return header;
}

function checkShape(header: NpyHeader, part: string): { sampleShape: number[]; scalar: boolean; sampleSize: number; total: number } {
  const { shape } = header;
  if (shape.length === 0) {
    throw new DatasetError('MALFORMED_NPY', `${part}: the array is a scalar (shape ()); expected samples along the first axis`, { column: part });
  }
  if (header.fortranOrder && shape.length > 1) {
    throw new DatasetError('UNSUPPORTED', `${part}: the array is stored in Fortran order; save it in C order (numpy.save(f, numpy.ascontiguousarray(a)))`, { column: part });
  }
  if (shape[0] === 0) throw new DatasetError('EMPTY_DATASET', `${part}: the array has no samples (shape ${describeShape(shape)})`, { column: part });
  if (shape.slice(1).some((d) => d === 0)) {
    throw new DatasetError('MALFORMED_NPY', `${part}: shape ${describeShape(shape)} leaves samples with no values`, { column: part });
  }
  const scalar = shape.length === 1;
  const sampleShape = scalar ? [1] : shape.slice(1);
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  return { sampleShape, scalar, sampleSize, total: shape[0]! * sampleSize };
}

function extraData(part: string, header: NpyHeader): DatasetError {
  return new DatasetError('MALFORMED_NPY', `${part}: the file has more data than shape ${describeShape(header.shape)} of ${header.dtype.descr} describes`, { column: part });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
