/** Options of the test NPY writer. */
export interface NpyWriteOptions {
  fortranOrder?: boolean;
  version?: 1 | 2 | 3;
  /** Replaces the header dict text (for malformed headers). */
  headerText?: string;
}

const SETTERS: Record<string, (v: DataView, at: number, x: number, le: boolean) => void> = {
  f4: (v, at, x, le) => v.setFloat32(at, x, le),
  f8: (v, at, x, le) => v.setFloat64(at, x, le),
  i1: (v, at, x) => v.setInt8(at, x),
  i2: (v, at, x, le) => v.setInt16(at, x, le),
  i4: (v, at, x, le) => v.setInt32(at, x, le),
  i8: (v, at, x, le) => v.setBigInt64(at, BigInt(x), le),
  u1: (v, at, x) => v.setUint8(at, x),
  b1: (v, at, x) => v.setUint8(at, x ? 1 : 0),
  u2: (v, at, x, le) => v.setUint16(at, x, le),
  u4: (v, at, x, le) => v.setUint32(at, x, le),
  u8: (v, at, x, le) => v.setBigUint64(at, BigInt(x), le),
};

/**
 * A minimal numpy.save: magic, version, header length, the header dict padded with spaces to a multiple of 64 bytes
 * and ended by a newline, then the values in `descr` (`<f4`, `>i8`, `|u1`...). For tests only.
 */
export function encodeNpy(values: ArrayLike<number>, shape: number[], descr: string, options: NpyWriteOptions = {}): Uint8Array {
  const version = options.version ?? 1;
  const shapeText = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const dict = options.headerText ?? `{'descr': '${descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const preamble = version === 1 ? 10 : 12;
  const unpadded = preamble + Buffer.byteLength(dict) + 1;
  const headerText = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const header = Buffer.from(headerText, version === 3 ? 'utf8' : 'latin1');
  const size = Number(descr.slice(2));
  const out = new Uint8Array(preamble + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, preamble);
  const set = SETTERS[descr.slice(1)];
  if (!set) throw new Error(`encodeNpy: no writer for ${descr}`);
  const le = descr[0] !== '>';
  for (let i = 0; i < values.length; i++) set(view, preamble + header.length + i * size, values[i]!, le);
  return out;
}
