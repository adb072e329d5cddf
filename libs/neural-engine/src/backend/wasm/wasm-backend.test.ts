import { beforeAll, describe, expect, it } from 'vitest';
import { type PaddingMode, type WindowGeometry, windowGeometry } from '../../kernels/window-geometry.js';
import { Rng } from '../../rng.js';
import type { Tensor } from '../../tensor.js';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * Every op WasmBackend overrides against JsBackend: matmul within 1e-5 of Σ|a·b| per element (the wasm GEMM sums in
 * another order), the window ops bitwise (same float operations in the same order). Thresholds 0 send every
 * non-empty op through the copies and the kernels; the default thresholds are checked to give the same results too.
 */

const js = new JsBackend('float32');
let wasm: WasmBackend;
let wasmDefault: WasmBackend;
beforeAll(() => {
  wasm = WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 256 * 2 ** 20 });
  wasmDefault = WasmBackend.create({ initialBytes: 2 ** 20, maximumBytes: 256 * 2 ** 20 });
});

function random(shape: number[], rng: Rng): number[] {
  const n = shape.reduce((p, d) => p * d, 1);
  return Array.from({ length: n }, () => rng.uniformRange(-1, 1));
}

const bits = (a: Float32Array | Float64Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Bitwise equality (Buffer.equals: deep equality of large buffers is slow in vitest); says where they first differ. */
function expectSameBits(actual: Float32Array | Float64Array | Int32Array, expected: Float32Array | Float64Array | Int32Array): void {
  if (bits(actual).equals(bits(expected))) return;
  const i = actual.findIndex((v, j) => !Object.is(v, expected[j]));
  throw new Error(`differ at element ${i} of ${actual.length}: ${actual[i]} vs ${expected[i]}`);
}

/** Σ_p |op(A)[i,p]·op(B)[p,j]| per element: the scale of the rounding error of any summation order. */
function magnitude(a: Tensor, b: Tensor, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += Math.abs((tA ? a.data[p * m + i]! : a.data[i * k + p]!) * (tB ? b.data[j * k + p]! : b.data[p * n + j]!));
    out[i * n + j] = s;
  }
  return out;
}

// 1-sized and empty dimensions, odd sizes, sizes off the 4x8 tile, k across the 256-step block, the W1 shape.
const shapes: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [3, 1, 5], [5, 3, 9], [7, 13, 12], [13, 2, 17], [17, 129, 65], [33, 257, 10],
  [2, 513, 131], [64, 784, 128], [0, 3, 4], [3, 0, 4], [3, 4, 0],
];
const forms = [[false, false], [true, false], [false, true]] as const;

describe('WasmBackend.matmul against JsBackend', () => {
  const rng = new Rng(21);
  for (const [m, k, n] of shapes) {
    for (const [tA, tB] of forms) {
      it(`${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'} for m=${m} k=${k} n=${n}`, () => {
        const aShape = tA ? [k, m] : [m, k];
        const bShape = tB ? [n, k] : [k, n];
        const av = random(aShape, rng);
        const bv = random(bShape, rng);
        const expected = js.matmul(js.fromValues(aShape, av), js.fromValues(bShape, bv), { transposeA: tA, transposeB: tB });
        const scale = magnitude(js.fromValues(aShape, av), js.fromValues(bShape, bv), m, k, n, tA, tB);
        for (const backend of [wasm, wasmDefault]) {
          const a = backend.fromValues(aShape, av);
          const b = backend.fromValues(bShape, bv);
          const fresh = backend.matmul(a, b, { transposeA: tA, transposeB: tB });
          // `out` is overwritten, whatever it held.
          const out = backend.fromValues([m, n], random([m, n], rng));
          const written = backend.matmul(a, b, { transposeA: tA, transposeB: tB }, out);
          expect(written).toBe(out);
          expect(fresh.shape).toEqual([m, n]);
          expectSameBits(out.data, fresh.data);
          for (let i = 0; i < m * n; i++) {
            const error = Math.abs(fresh.data[i]! - expected.data[i]!);
            if (error > 1e-5 * scale[i]! + 1e-30) throw new Error(`element ${i}: ${fresh.data[i]} vs ${expected.data[i]} (Σ|a·b| = ${scale[i]})`);
          }
        }
      });
    }
  }

  it('rejects what JsBackend rejects, and an output of the wrong size', () => {
    const a = wasm.zeros([2, 3]);
    const b = wasm.zeros([4, 5]);
    expect(() => wasm.matmul(a, b)).toThrow(/inner dimensions differ: \(2, 3\) · \(4, 5\)/);
    expect(() => wasm.matmul(a, wasm.zeros([2, 3]), { transposeA: true, transposeB: true })).toThrow(/both operands transposed/);
    expect(() => wasm.matmul(wasm.zeros([2, 3, 1]), b)).toThrow(/rank-2/);
    expect(() => wasm.matmul(a, wasm.zeros([3, 4]), {}, wasm.zeros([2, 5]))).toThrow(/output \(2, 5\) holds 10 values; the product is \[2, 4\]/);
  });
});

describe('WasmBackend row ops, bitwise against JsBackend', () => {
  const rng = new Rng(27);
  // Rank 1 to 4, one row, one column, odd widths (SIMD tails), the W1/W2 bias shapes.
  const shapesOfRows: number[][] = [[1], [7], [1, 5], [3, 1], [5, 9], [17, 13], [64, 128], [2, 11, 11, 64], [256, 10]];
  for (const shape of shapesOfRows) {
    it(`shape [${shape}]`, () => {
      const cols = shape[shape.length - 1]!;
      const xv = random(shape, rng);
      const vv = random([cols], rng);
      const tv = random(shape, rng);
      for (const backend of [wasm, wasmDefault]) {
        const x = backend.fromValues(shape, xv);
        expectSameBits(backend.addRowVector(x, backend.fromValues([cols], vv)).data, js.addRowVector(js.fromValues(shape, xv), js.fromValues([cols], vv)).data);
        // In place, as Dense does with its bias.
        const inPlace = backend.fromValues(shape, xv);
        expect(backend.addRowVector(inPlace, backend.fromValues([cols], vv), inPlace)).toBe(inPlace);
        expectSameBits(inPlace.data, js.addRowVector(js.fromValues(shape, xv), js.fromValues([cols], vv)).data);
        const sums = backend.sumRows(x);
        expect(sums.shape).toEqual([cols]);
        expectSameBits(sums.data, js.sumRows(js.fromValues(shape, xv)).data);
        const target = backend.fromValues(shape, tv);
        const targetJs = js.fromValues(shape, tv);
        backend.axpyInPlace(target, -0.37, x);
        js.axpyInPlace(targetJs, -0.37, js.fromValues(shape, xv));
        backend.addInPlace(target, x);
        js.addInPlace(targetJs, js.fromValues(shape, xv));
        expectSameBits(target.data, targetJs.data);
        expectSameBits(backend.scale(x, 1.7).data, js.scale(js.fromValues(shape, xv), 1.7).data);
        const scaled = backend.fromValues(shape, xv);
        expect(backend.scale(scaled, 0.1, scaled)).toBe(scaled);
        expectSameBits(scaled.data, js.scale(js.fromValues(shape, xv), 0.1).data);
      }
    });
  }

  it('says what does not fit', () => {
    expect(() => wasm.addRowVector(wasm.zeros([2, 3]), wasm.zeros([2]))).toThrow(/cannot add a vector of 2 to a tensor of shape \(2, 3\)/);
    expect(() => wasm.axpyInPlace(wasm.zeros([4]), 1, wasm.zeros([3]))).toThrow(/cannot accumulate 3 values into 4/);
    expect(() => wasm.sumRows(wasm.zeros([2, 3]), wasm.zeros([2]))).toThrow(/sumRows output \(2,\) holds 2 values; expected 3/);
  });
});

interface GeometryCase {
  input: [number, number, number, number];
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: PaddingMode;
}

const geometries: GeometryCase[] = [
  { input: [1, 1, 1, 1], kernel: [1, 1], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [2, 5, 5, 3], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [2, 5, 4, 2], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' },
  { input: [1, 6, 7, 2], kernel: [3, 2], strides: [2, 3], dilation: [1, 1], padding: 'same' },
  { input: [2, 7, 6, 1], kernel: [2, 3], strides: [1, 1], dilation: [2, 3], padding: 'same' },
  { input: [3, 1, 9, 2], kernel: [1, 3], strides: [1, 2], dilation: [1, 1], padding: 'causal' },
  { input: [1, 4, 4, 4], kernel: [4, 4], strides: [3, 3], dilation: [1, 1], padding: 'same' },
  { input: [2, 6, 5, 9], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' },
  { input: [1, 8, 8, 13], kernel: [2, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' },
  { input: [3, 13, 13, 32], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [0, 4, 4, 2], kernel: [2, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' },
];

const make = (c: GeometryCase): WindowGeometry => windowGeometry(c.input, c.kernel, c.strides, c.dilation, c.padding);
const label = (c: GeometryCase): string => `input [${c.input}], kernel [${c.kernel}], strides [${c.strides}], dilation [${c.dilation}], ${c.padding}`;

describe('WasmBackend window ops, bitwise against JsBackend', () => {
  const rng = new Rng(23);
  for (const c of geometries) {
    it(label(c), () => {
      const g = make(c);
      const xv = random(c.input, rng);
      const outShape = [g.batch, g.outH, g.outW, g.channels];
      const dyv = random(outShape, rng);
      // Channel slices (grouped convolutions) as well as all channels.
      const ranges = g.channels > 2 ? [undefined, { start: 1, count: g.channels - 2 }] : [undefined];
      for (const backend of [wasm, wasmDefault]) {
        for (const range of ranges) {
          const cols = backend.im2col(backend.fromValues(c.input, xv), g, range);
          const colsJs = js.im2col(js.fromValues(c.input, xv), g, range);
          expect(cols.shape).toEqual(colsJs.shape);
          expectSameBits(cols.data, colsJs.data);
          // im2col into a given output; col2im accumulates into a dx that already holds values.
          const into = backend.fromValues(cols.shape as number[], random(cols.shape as number[], rng));
          expect(backend.im2col(backend.fromValues(c.input, xv), g, range, into)).toBe(into);
          expectSameBits(into.data, colsJs.data);
          const colsGrad = random(cols.shape as number[], rng);
          const dx0 = random(c.input, rng);
          const dx = backend.fromValues(c.input, dx0);
          const dxJs = js.fromValues(c.input, dx0);
          backend.col2im(backend.fromValues(cols.shape as number[], colsGrad), g, dx, range);
          js.col2im(js.fromValues(cols.shape as number[], colsGrad), g, dxJs, range);
          expectSameBits(dx.data, dxJs.data);
        }
        const pooled = backend.maxPool(backend.fromValues(c.input, xv), g);
        const pooledJs = js.maxPool(js.fromValues(c.input, xv), g);
        expect(pooled.output.shape).toEqual(pooledJs.output.shape);
        expectSameBits(pooled.output.data, pooledJs.output.data);
        expectSameBits(pooled.argmax, pooledJs.argmax);
        const back = backend.maxPoolBackward(backend.fromValues(outShape, dyv), pooled.argmax, g);
        expect(back.shape).toEqual(c.input);
        expectSameBits(back.data, js.maxPoolBackward(js.fromValues(outShape, dyv), pooledJs.argmax, g).data);
        const avg = backend.avgPool(backend.fromValues(c.input, xv), g);
        expectSameBits(avg.data, js.avgPool(js.fromValues(c.input, xv), g).data);
        const avgBack = backend.avgPoolBackward(backend.fromValues(outShape, dyv), g);
        expectSameBits(avgBack.data, js.avgPoolBackward(js.fromValues(outShape, dyv), g).data);
      }
    });
  }

  it('max pooling keeps ties and NaN where the JS kernel puts them', () => {
    const g = make({ input: [1, 4, 4, 8], kernel: [2, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' });
    const xv = Array.from({ length: 128 }, (_, i) => (i % 7 === 0 ? Number.NaN : i % 3 === 0 ? 1 : 0.5));
    const a = wasm.maxPool(wasm.fromValues([1, 4, 4, 8], xv), g);
    const b = js.maxPool(js.fromValues([1, 4, 4, 8], xv), g);
    expectSameBits(a.output.data, b.output.data);
    expectSameBits(a.argmax, b.argmax);
  });

  it('says which input does not match the geometry', () => {
    const g = make({ input: [2, 5, 5, 3], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' });
    expect(() => wasm.im2col(wasm.zeros([2, 5, 5, 2]), g)).toThrow(/im2col input \(2, 5, 5, 2\) holds 100 values; the window geometry needs 150/);
    expect(() => wasm.maxPool(wasm.zeros([1, 5, 5, 3]), g)).toThrow(/maxPool input/);
    expect(() => wasm.im2col(wasm.zeros([2, 5, 5, 3]), g, { start: 2, count: 2 })).toThrow(/channel range \[2, 4\) outside 3 channels/);
    expect(() => wasm.maxPoolBackward(wasm.zeros([2, 3, 3, 3]), new Int32Array(5), g)).toThrow(/argmax holds 5 indices/);
  });
});

describe('WasmBackend construction', () => {
  it('is a float32 Backend named wasm-float32; create() is synchronous and awaitable', async () => {
    const b = await WasmBackend.create({ initialBytes: 2 ** 16, maximumBytes: 2 ** 24 });
    expect(b.name).toBe('wasm-float32');
    expect(b.dtype).toBe('float32');
    expect(b.zeros([2, 2]).data).toBeInstanceOf(Float32Array);
    expect(b.memoryBytes).toBeGreaterThan(0);
  });

  it('rejects a negative threshold', () => {
    expect(() => WasmBackend.create({ gemmThreshold: -1 })).toThrow(/gemmThreshold = -1: expected a non-negative number/);
  });

  it('grows its staging region only for a larger op and reuses it afterwards', () => {
    const b = WasmBackend.create({ gemmThreshold: 0, initialBytes: 2 ** 16, maximumBytes: 2 ** 26 });
    b.matmul(b.zeros([64, 100]), b.zeros([100, 64]));
    const after = { staging: b.stagingFloats, memory: b.memoryBytes };
    expect(after.staging).toBeGreaterThanOrEqual(64 * 100 * 2 + 64 * 64);
    for (let i = 0; i < 20; i++) b.matmul(b.zeros([32, 100]), b.zeros([100, 64]));
    expect({ staging: b.stagingFloats, memory: b.memoryBytes }).toEqual(after);
    b.matmul(b.zeros([256, 300]), b.zeros([300, 64]));
    expect(b.stagingFloats).toBeGreaterThan(after.staging);
  });
});
