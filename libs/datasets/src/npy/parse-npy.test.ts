import { describe, expect, it } from 'vitest';
import { DatasetError } from '../core/dataset-error.js';
import { NpyDatasetBuilder, parseNpyDataset } from './parse-npy.js';
import { encodeNpy } from '../testing/npy-encoder.js';
import { collect, onePiece, randomPieces, rejection } from '../testing/sources.js';

const range = (n: number, f: (i: number) => number = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

describe('encodeNpy (test helper)', () => {
  it('writes the header padded to a multiple of 64 bytes, ended by a newline', () => {
    for (const version of [1, 2, 3] as const) {
      const bytes = encodeNpy([1, 2, 3], [3], '<f4', { version });
      const headerLength = version === 1 ? bytes[8]! | (bytes[9]! << 8) : new DataView(bytes.buffer).getUint32(8, true);
      const dataOffset = (version === 1 ? 10 : 12) + headerLength;
      expect(dataOffset % 64).toBe(0);
      expect(bytes[dataOffset - 1]).toBe(0x0a);
      expect(bytes.length).toBe(dataOffset + 12);
    }
  });
});

describe('parseNpyDataset', () => {
  const dtypes: [string, (i: number) => number][] = [
    ['<f4', (i) => i * 0.25 - 3], ['>f4', (i) => i * 0.25 - 3], ['<f8', (i) => i / 3], ['>f8', (i) => -i / 7],
    ['<i1', (i) => (i % 200) - 100], ['|i1', (i) => (i % 200) - 100], ['<i2', (i) => i * 37 - 5000], ['>i2', (i) => i * 37 - 5000],
    ['<i4', (i) => i * 100003 - 7], ['>i4', (i) => 100 - i * 100003], ['<i8', (i) => i * 1e6 - 3], ['>i8', (i) => -(2 ** 40) + i],
    ['|u1', (i) => i % 256], ['<u1', (i) => (i * 7) % 256], ['<u2', (i) => i * 11], ['>u2', (i) => i * 13], ['<u4', (i) => i * 65537],
    ['>u4', (i) => i * 65539], ['<u8', (i) => i * 2 ** 33], ['>u8', (i) => i], ['|b1', (i) => i % 3 === 0 ? 1 : 0],
  ];
  for (const [descr, value] of dtypes) {
    it(`reads ${descr} x of shape (30, 2, 3) in one piece and in pieces of 1..97 bytes`, async () => {
      const values = range(180, value);
      const x = encodeNpy(values, [30, 2, 3], descr);
      const y = encodeNpy(range(30, (i) => i % 4), [30], '<i8');
      const whole = await collect((on) => parseNpyDataset(onePiece(x), onePiece(y), { chunkRows: 7 }, on));
      const split = await collect((on) => parseNpyDataset(randomPieces(x, 2), randomPieces(y, 3), { chunkRows: 7 }, on));
      expect(split.summary).toEqual(whole.summary);
      expect(split.x).toEqual(whole.x);
      expect(Array.from(whole.x)).toEqual(values.map(Math.fround));
      expect(whole.summary.featureShape).toEqual([2, 3]);
      expect(whole.summary.labelShape).toEqual([1]);
      expect(whole.summary.classCounts).toEqual({ 0: 8, 1: 8, 2: 7, 3: 7 });
      expect(whole.chunks.filter((c) => c.part === 'x').map((c) => c.rows)).toEqual([7, 7, 7, 7, 2]);
      expect(whole.chunks.filter((c) => c.part === 'y').map((c) => c.rows)).toEqual([7, 7, 7, 7, 2]);
    });
  }

  it('reads float16 (<f2) values', async () => {
    // 1.0, -2.0, 0.5, 65504 (max half), smallest subnormal 2^-24
    const halves = new Uint8Array(encodeNpy([0, 0, 0, 0, 0], [5], '<u2'));
    const dataStart = halves.length - 10;
    const view = new DataView(halves.buffer);
    [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001].forEach((h, i) => view.setUint16(dataStart + i * 2, h, true));
    const text = new TextDecoder('latin1').decode(halves.subarray(10, dataStart)).replace("'<u2'", "'<f2'");
    halves.set(new TextEncoder().encode(text), 10);
    const { x } = await collect((on) => parseNpyDataset(onePiece(halves), onePiece(encodeNpy(range(5), [5], '<f4')), {}, on));
    expect(Array.from(x)).toEqual([1, -2, 0.5, 65504, Math.fround(2 ** -24)]);
  });

  it('reads format versions 2.0 and 3.0, 2-D labels, and takes y from a function (multipart order)', async () => {
    const x = encodeNpy(range(12), [4, 3], '<f4', { version: 2 });
    const y = encodeNpy([1, 0, 0, 1, 1, 0, 0, 1], [4, 2], '<f4', { version: 3 });
    const { summary, y: labels } = await collect((on) => parseNpyDataset(onePiece(x), async () => onePiece(y), {}, on));
    expect(summary.featureShape).toEqual([3]);
    expect(summary.labelShape).toEqual([2]);
    expect(summary.classCounts).toBeNull();
    expect(Array.from(labels)).toEqual([1, 0, 0, 1, 1, 0, 0, 1]);
    expect(summary.featureStats[1]).toEqual({ name: 'x[1]', count: 4, min: 1, max: 10, mean: 5.5, std: Math.sqrt(11.25) });
  });

  it('reads y before x with the builder', async () => {
    const chunks: string[] = [];
    const builder = new NpyDatasetBuilder({}, async (c) => void chunks.push(`${c.part}${c.index}`));
    await builder.readY(onePiece(encodeNpy([0, 1], [2], '|u1')));
    await builder.readX(onePiece(encodeNpy([1, 2, 3, 4], [2, 2], '<f8')));
    const summary = await builder.finish();
    expect(summary.rows).toBe(2);
    expect(chunks).toEqual(['x0', 'y0']);
  });
});

describe('parseNpyDataset: errors', () => {
  const y2 = encodeNpy([0, 1], [2], '<i4');

  async function failure(x: Uint8Array, y: Uint8Array = y2): Promise<DatasetError> {
    const whole = await rejection(parseNpyDataset(onePiece(x), onePiece(y), {}, async () => {}));
    const split = await rejection(parseNpyDataset(randomPieces(x, 5, 1, 9), randomPieces(y, 6, 1, 9), {}, async () => {}));
    expect(whole).toBeInstanceOf(DatasetError);
    expect(split.message).toBe(whole.message);
    return whole as unknown as DatasetError;
  }

  it('refuses Fortran order', async () => {
    const error = await failure(encodeNpy([1, 2, 3, 4], [2, 2], '<f4', { fortranOrder: true }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe('x: the array is stored in Fortran order; save it in C order (numpy.save(f, numpy.ascontiguousarray(a)))');
  });

  it('refuses non-numeric dtypes', async () => {
    const strings = encodeNpy([0, 0], [2], '<u4', { headerText: "{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }" });
    const error = await failure(strings);
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe('x: dtype "<U5" (strings) is not supported; only numeric arrays are accepted (float16/32/64, int8..int64, uint8..uint64, bool); '
      + 'for class names, save integer class indices');
    const objects = encodeNpy([0, 0], [2], '<u8', { headerText: "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }" });
    expect((await failure(objects)).message).toMatch(/^x: dtype "\|O" \(Python objects\) is not supported; only numeric arrays are accepted/);
    const bytes = encodeNpy([0, 0], [2], '<u4', { headerText: "{'descr': '|S4', 'fortran_order': False, 'shape': (2,), }" });
    expect((await failure(bytes)).message).toMatch(/^x: dtype "\|S4" \(strings\) is not supported/);
    const complex = encodeNpy([0, 0], [2], '<u8', { headerText: "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }" });
    expect((await failure(complex)).message).toMatch(/^x: dtype "<c8" \(complex numbers\) is not supported/);
  });

  it('refuses a truncated file, extra data and a file cut inside its header', async () => {
    const full = encodeNpy(range(8), [2, 4], '<f8');
    const truncated = await failure(full.subarray(0, full.length - 5));
    expect(truncated.code).toBe('MALFORMED_NPY');
    expect(truncated.message).toBe('x: the file is truncated: shape (2, 4) of <f8 needs 64 bytes of data, received 59');
    const longer = new Uint8Array(full.length + 8);
    longer.set(full);
    expect((await failure(longer)).message).toBe('x: the file has more data than shape (2, 4) of <f8 describes');
    expect((await failure(full.subarray(0, 40))).message).toBe('x: the file ends inside the NPY header (40 bytes of 128)');
  });

  it('refuses files that are not NPY, and unknown versions', async () => {
    expect((await failure(new TextEncoder().encode('a,b\n1,2\n'))).message)
      .toBe('x: not an NPY file (it does not start with "\\x93NUMPY"); save arrays with numpy.save');
    const v4 = encodeNpy([1, 2], [2], '<f4');
    v4[6] = 4;
    expect((await failure(v4)).message).toBe('x: NPY format version 4.0 is not supported; expected 1.0, 2.0 or 3.0');
    const badDict = encodeNpy([1, 2], [2], '<f4', { headerText: "{'descr': '<f4', 'shape': (2,), }" });
    expect((await failure(badDict)).message).toMatch(/^x: the header has no 'fortran_order' key/);
  });

  it('refuses non-finite values, naming the element', async () => {
    const error = await failure(encodeNpy([1, 2, 3, NaN, 5, 6], [2, 1, 3], '<f4'));
    expect(error.code).toBe('INVALID_VALUE');
    expect(error.message).toBe('x[1][0][0]: expected a finite number, received NaN (NaN is not a finite number)');
    expect(error.row).toBe(2);
    expect((await failure(encodeNpy([1, 1e39], [2], '<f8'))).message)
      .toBe('x[1]: expected a finite number, received 1e+39 (it overflows float32, whose largest value is 3.4028234663852886e+38)');
    expect((await failure(encodeNpy([1, 2], [2], '<f4'), encodeNpy([0, Infinity], [2], '>f8'))).message)
      .toBe('y[1]: expected a finite number, received Infinity (it overflows to Infinity)');
  });

  it('refuses x and y with different sample counts before reading the data', async () => {
    const error = await failure(encodeNpy(range(6), [3, 2], '<f4'));
    expect(error.code).toBe('ROW_COUNT_MISMATCH');
    expect(error.message).toBe('x has 3 samples but y has 2; they must agree (the first axis of each array)');
  });

  it('refuses scalars and empty arrays', async () => {
    expect((await failure(encodeNpy([1], [], '<f4'))).message).toBe('x: the array is a scalar (shape ()); expected samples along the first axis');
    const empty = await failure(encodeNpy([], [0, 3], '<f4'));
    expect(empty.code).toBe('EMPTY_DATASET');
    expect(empty.message).toBe('x: the array has no samples (shape (0, 3))');
  });

  it('enforces maxRows from the header', async () => {
    const error = await rejection(parseNpyDataset(onePiece(encodeNpy(range(6), [3, 2], '<f4')), onePiece(y2), { maxRows: 2 }, async () => {}));
    expect(error.message).toBe('x has 3 samples; the limit is 2');
  });
});
