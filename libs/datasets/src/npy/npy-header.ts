import { DatasetError } from '../core/dataset-error.js';

/** A numeric NPY element type. */
export interface NpyDtype {
  /** As written in the header: `<f4`, `|u1`, `>i8`... */
  descr: string;
  kind: 'f' | 'i' | 'u' | 'b';
  itemSize: number;
  littleEndian: boolean;
}

/** What an NPY header says about the array that follows it. */
export interface NpyHeader {
  version: '1.0' | '2.0' | '3.0';
  dtype: NpyDtype;
  fortranOrder: boolean;
  shape: number[];
  /** Bytes before the data (magic, version, length field, header text). */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Headers are padded to 64 bytes and hold three keys; anything this long is not an NPY header. */
export const MAX_NPY_HEADER_BYTES = 1024 * 1024;

const SIZES: Record<string, readonly number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

function malformed(part: string, what: string): DatasetError {
  return new DatasetError('MALFORMED_NPY', `${part}: ${what}`, { column: part });
}

/**
 * How many bytes the preamble takes (magic, version, header length): null while fewer than 12 bytes are known.
 * Throws when the bytes are not an NPY file.
 */
export function npyPreambleLength(bytes: Uint8Array, part: string): number | null {
  const known = Math.min(bytes.length, 6);
  for (let i = 0; i < known; i++) {
    if (bytes[i] !== MAGIC[i]) throw malformed(part, 'not an NPY file (it does not start with "\\x93NUMPY"); save arrays with numpy.save');
  }
  if (bytes.length < 12) return null;
  const major = bytes[6]!;
  if (major === 1) return 10 + (bytes[8]! | (bytes[9]! << 8));
  if (major === 2 || major === 3) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
    if (length > MAX_NPY_HEADER_BYTES) throw malformed(part, `the header claims ${length} bytes; NPY headers are small`);
    return 12 + length;
  }
  throw malformed(part, `NPY format version ${major}.${bytes[7]} is not supported; expected 1.0, 2.0 or 3.0`);
}

/** Parses the complete preamble + header dict (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`). */
export function parseNpyHeader(bytes: Uint8Array, part: string): NpyHeader {
  const major = bytes[6]!;
  const minor = bytes[7]!;
  const start = major === 1 ? 10 : 12;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start));
  let dict: unknown;
  try {
    dict = new PyLiteral(text).parseDict();
  } catch (error) {
    throw malformed(part, `the header is not a Python dict literal (${(error as Error).message}): ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const record = dict as Record<string, unknown>;
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in record)) throw malformed(part, `the header has no '${key}' key: ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = record;
  if (typeof fortranOrder !== 'boolean') throw malformed(part, `'fortran_order' must be True or False, received ${String(fortranOrder)}`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw malformed(part, `'shape' must be a tuple of non-negative integers, received ${JSON.stringify(shape)}`);
  }
  return {
    version: `${major}.${minor}` as NpyHeader['version'],
    dtype: parseDtype(descr, part),
    fortranOrder,
    shape: shape as number[],
    dataOffset: bytes.length,
  };
}

function parseDtype(descr: unknown, part: string): NpyDtype {
  if (typeof descr !== 'string') {
    throw new DatasetError('UNSUPPORTED', `${part}: structured arrays (dtype ${JSON.stringify(descr)}) are not supported; only numeric arrays are accepted`, { column: part });
  }
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const kind = match?.[2] ?? /^[<>|=]?([a-zA-Z])/.exec(descr)?.[1];
  const itemSize = Number(match?.[3]);
  if (!match || !kind || !SIZES[kind]?.includes(itemSize)) {
    const what = kind === 'U' || kind === 'S' ? 'strings' : kind === 'O' ? 'Python objects' : kind === 'c' ? 'complex numbers' : kind === 'M' || kind === 'm' ? 'dates' : 'this type';
    throw new DatasetError('UNSUPPORTED', `${part}: dtype ${JSON.stringify(descr)} (${what}) is not supported; only numeric arrays are accepted `
      + '(float16/32/64, int8..int64, uint8..uint64, bool); for class names, save integer class indices', { column: part, details: { received: descr } });
  }
  // '|' (no byte order) is for one-byte types; '=' is the writer's native order, little-endian on every platform numpy ships for.
  return { descr, kind: kind as NpyDtype['kind'], itemSize, littleEndian: match[1] !== '>' };
}

/** Just enough of Python's literal syntax for NPY headers: dicts, strings, True/False/None, ints, tuples, lists. */
class PyLiteral {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDict(): Record<string, unknown> {
    const value = this.value();
    this.skipWhitespace();
    if (this.i !== this.s.length) throw new Error(`unexpected text at character ${this.i}`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a dict');
    return value as Record<string, unknown>;
  }

  private skipWhitespace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private value(): unknown {
    this.skipWhitespace();
    const c = this.s[this.i];
    if (c === '{') return this.sequence('}', true);
    if (c === '(') return this.sequence(')', false);
    if (c === '[') return this.sequence(']', false);
    if (c === "'" || c === '"') return this.string(c);
    const word = /^(True|False|None|-?\d+L?)/.exec(this.s.slice(this.i));
    if (!word) throw new Error(`unexpected ${JSON.stringify(c ?? 'end')} at character ${this.i}`);
    this.i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replace('L', ''));
  }

  private string(quote: string): string {
    const end = this.s.indexOf(quote, this.i + 1);
    if (end === -1) throw new Error('unterminated string');
    const text = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return text;
  }

  private sequence(close: string, isDict: boolean): unknown {
    this.i++;
    const items: unknown[] = [];
    const dict: Record<string, unknown> = {};
    for (;;) {
      this.skipWhitespace();
      if (this.s[this.i] === close) {
        this.i++;
        return isDict ? dict : items;
      }
      if (isDict) {
        const key = this.value();
        if (typeof key !== 'string') throw new Error('dict keys must be strings');
        this.skipWhitespace();
        if (this.s[this.i] !== ':') throw new Error(`expected ':' at character ${this.i}`);
        this.i++;
        dict[key] = this.value();
      } else {
        items.push(this.value());
      }
      this.skipWhitespace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new Error(`expected ',' or '${close}' at character ${this.i}`);
    }
  }
}
