import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import { Rng } from '../rng.js';
import { referenceCol2im, referenceConv2d, referencePool } from './conv-reference.js';
import { col2im, im2col } from './im2col.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './pooling.js';
import { referenceMatmul } from './reference.js';
import { type PaddingMode, type WindowGeometry, windowAxis, windowGeometry } from './window-geometry.js';
import { testBackend } from '../testing/test-backend.js';

/*
 * The convolution and pooling kernels against the naive references of conv-reference.ts (direct sums and scatters),
 * over geometries covering padding, strides, dilation, non-square kernels and channel slices; plus the row-split
 * invariance a thread pool relies on.
 */

function random(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniformRange(-1, 1));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

interface GeometryCase {
  input: [number, number, number, number];
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: PaddingMode;
}

const geometries: GeometryCase[] = [
  { input: [2, 5, 5, 3], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [2, 5, 4, 2], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' },
  { input: [1, 6, 7, 2], kernel: [3, 2], strides: [2, 3], dilation: [1, 1], padding: 'same' },
  { input: [2, 7, 6, 1], kernel: [2, 3], strides: [1, 1], dilation: [2, 3], padding: 'same' },
  { input: [2, 7, 6, 2], kernel: [3, 3], strides: [1, 1], dilation: [2, 2], padding: 'valid' },
  { input: [3, 1, 9, 2], kernel: [1, 3], strides: [1, 2], dilation: [1, 1], padding: 'causal' },
  { input: [2, 1, 8, 2], kernel: [1, 2], strides: [1, 2], dilation: [1, 1], padding: 'causal' },
  { input: [1, 4, 4, 4], kernel: [4, 4], strides: [3, 3], dilation: [1, 1], padding: 'same' },
];

const make = (c: GeometryCase): WindowGeometry => windowGeometry(c.input, c.kernel, c.strides, c.dilation, c.padding);

describe('window geometry', () => {
  it('follows TF: valid floor((n - span)/s) + 1; same ceil(n/s) with the odd padding after; causal all before', () => {
    expect(windowAxis(7, 3, 2, 1, 'valid')).toEqual({ out: 3, padBefore: 0 });
    expect(windowAxis(6, 3, 2, 1, 'same')).toEqual({ out: 3, padBefore: 0 }); // total 1: none before, 1 after
    expect(windowAxis(5, 3, 2, 1, 'same')).toEqual({ out: 3, padBefore: 1 }); // total 2
    expect(windowAxis(5, 4, 1, 1, 'same')).toEqual({ out: 5, padBefore: 1 }); // total 3: 1 before, 2 after
    expect(windowAxis(6, 3, 1, 2, 'causal')).toEqual({ out: 6, padBefore: 4 });
    expect(windowAxis(7, 2, 2, 1, 'causal')).toEqual({ out: 4, padBefore: 1 });
    // Causal pads (k - 1)·d before whatever the stride: windows start at -1, 1, 3, 5 here (TF "same" would pad none).
    expect(windowAxis(8, 2, 2, 1, 'causal')).toEqual({ out: 4, padBefore: 1 });
    expect(windowAxis(8, 3, 3, 1, 'causal')).toEqual({ out: 3, padBefore: 2 });
    expect(windowAxis(2, 3, 1, 1, 'valid').out).toBe(0);
  });
});

describe('im2col and col2im against the direct convolution', () => {
  const rng = new Rng(17);
  it.each(geometries)('input $input, kernel $kernel, strides $strides, dilation $dilation, $padding', (c) => {
    const g = make(c);
    const filters = 3;
    const x = random(g.batch * g.inH * g.inW * g.channels, rng);
    const kernel = random(g.kH * g.kW * g.channels * filters, rng);
    const rows = g.batch * g.outH * g.outW;
    const width = g.kH * g.kW * g.channels;
    const cols = new Float64Array(rows * width).fill(7); // stale values must be overwritten, padding zeroed
    im2col(x, cols, g, 0, g.channels);
    const y = referenceMatmul(cols, kernel, rows, width, filters);
    expect(maxAbsDiff(y, referenceConv2d(x, kernel, g, filters))).toBeLessThan(1e-12);

    // col2im (a gather over input rows) equals the scatter definition and is im2col's adjoint: <im2col(x), C> = <x, col2im(C)>.
    const C = random(rows * width, rng);
    const dx = new Float64Array(x.length);
    col2im(C, dx, g, 0, g.channels);
    expect(maxAbsDiff(dx, referenceCol2im(C, g, 0, g.channels))).toBeLessThan(1e-12);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < C.length; i++) lhs += cols[i]! * C[i]!;
    for (let i = 0; i < x.length; i++) rhs += x[i]! * dx[i]!;
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9);
  });

  it('grouped convolution: im2col over each channel slice times its kernel block equals the direct grouped sum', () => {
    const g = make({ input: [2, 5, 4, 4], kernel: [2, 3], strides: [1, 2], dilation: [1, 1], padding: 'same' });
    const [groups, filters] = [2, 6];
    const perGroup = g.channels / groups;
    const fpg = filters / groups;
    const x = random(g.batch * g.inH * g.inW * g.channels, rng);
    const kernel = random(g.kH * g.kW * perGroup * filters, rng);
    const rows = g.batch * g.outH * g.outW;
    const width = g.kH * g.kW * perGroup;
    const y = new Float64Array(rows * filters);
    for (let i = 0; i < groups; i++) {
      const cols = new Float64Array(rows * width);
      im2col(x, cols, g, i * perGroup, perGroup);
      const block = new Float64Array(width * fpg);
      for (let r = 0; r < width; r++) for (let f = 0; f < fpg; f++) block[r * fpg + f] = kernel[r * filters + i * fpg + f]!;
      const yi = referenceMatmul(cols, block, rows, width, fpg);
      for (let r = 0; r < rows; r++) for (let f = 0; f < fpg; f++) y[r * filters + i * fpg + f] = yi[r * fpg + f]!;

      const C = random(rows * width, rng);
      const dx = new Float64Array(x.length);
      col2im(C, dx, g, i * perGroup, perGroup);
      expect(maxAbsDiff(dx, referenceCol2im(C, g, i * perGroup, perGroup))).toBeLessThan(1e-12);
    }
    expect(maxAbsDiff(y, referenceConv2d(x, kernel, g, filters, groups))).toBeLessThan(1e-12);
  });

  it('computing row ranges separately gives bitwise the same result (thread-split invariance)', () => {
    const g = make(geometries[2]!);
    const x = random(g.batch * g.inH * g.inW * g.channels, rng);
    const rows = g.batch * g.outH * g.outW;
    const width = g.kH * g.kW * g.channels;
    const whole = new Float64Array(rows * width);
    const split = new Float64Array(rows * width);
    im2col(x, whole, g, 0, g.channels);
    im2col(x, split, g, 0, g.channels, 0, 3);
    im2col(x, split, g, 0, g.channels, 3, rows);
    expect(split).toEqual(whole);
    const C = random(rows * width, rng);
    const dxWhole = new Float64Array(x.length);
    const dxSplit = new Float64Array(x.length);
    col2im(C, dxWhole, g, 0, g.channels);
    col2im(C, dxSplit, g, 0, g.channels, 0, 2);
    col2im(C, dxSplit, g, 0, g.channels, 2, g.batch * g.inH);
    expect(dxSplit).toEqual(dxWhole);
  });
});

describe('pooling kernels against the naive reference', () => {
  const rng = new Rng(23);
  const pools = geometries.map((c) => ({ ...c, dilation: [1, 1] as [number, number], padding: c.padding === 'causal' ? 'same' as const : c.padding }));
  it.each(pools)('input $input, pool $kernel, strides $strides, $padding', (c) => {
    const g = make(c);
    const x = random(g.batch * g.inH * g.inW * g.channels, rng); // continuous random values: no ties
    const outSize = g.batch * g.outH * g.outW * g.channels;
    const dy = random(outSize, rng);
    const ref = referencePool(x, g, dy);
    const y = new Float64Array(outSize);
    const argmax = new Int32Array(outSize);
    maxPool(x, y, argmax, g);
    expect(maxAbsDiff(y, ref.max)).toBe(0);
    const dx = new Float64Array(x.length).fill(5);
    maxPoolBackward(dy, argmax, dx, g);
    expect(maxAbsDiff(dx, ref.dxMax)).toBeLessThan(1e-12);
    avgPool(x, y, g);
    expect(maxAbsDiff(y, ref.avg)).toBeLessThan(1e-12);
    dx.fill(5);
    avgPoolBackward(dy, dx, g);
    expect(maxAbsDiff(dx, ref.dxAvg)).toBeLessThan(1e-12);
  });

  it('row ranges computed separately match one call', () => {
    const g = make({ input: [2, 5, 4, 2], kernel: [3, 2], strides: [2, 1], dilation: [1, 1], padding: 'same' });
    const x = random(g.batch * g.inH * g.inW * g.channels, rng);
    const outSize = g.batch * g.outH * g.outW * g.channels;
    const dy = random(outSize, rng);
    const [y1, y2] = [new Float64Array(outSize), new Float64Array(outSize)];
    const [a1, a2] = [new Int32Array(outSize), new Int32Array(outSize)];
    maxPool(x, y1, a1, g);
    maxPool(x, y2, a2, g, 0, 1);
    maxPool(x, y2, a2, g, 1, g.batch * g.outH);
    expect(y2).toEqual(y1);
    expect(a2).toEqual(a1);
    const [d1, d2] = [new Float64Array(x.length), new Float64Array(x.length)];
    avgPoolBackward(dy, d1, g);
    avgPoolBackward(dy, d2, g, 0, 3);
    avgPoolBackward(dy, d2, g, 3, g.batch * g.inH);
    expect(d2).toEqual(d1);
  });
});

describe('the test backend\'s convolution and pooling methods', () => {
  const backend = testBackend();
  const g = windowGeometry([1, 3, 3, 2], [2, 2], [1, 1], [1, 1], 'valid');

  it('im2col/col2im/maxPool/avgPool produce the documented shapes', () => {
    const x = backend.fromValues([1, 3, 3, 2], Array.from({ length: 18 }, (_, i) => i));
    expect(backend.im2col(x, g).shape).toEqual([4, 8]);
    expect(backend.im2col(x, g, { start: 1, count: 1 }).shape).toEqual([4, 4]);
    const { output, argmax } = backend.maxPool(x, g);
    expect(output.shape).toEqual([1, 2, 2, 2]);
    // The maximum of each window of an increasing ramp is its bottom-right element.
    expect(Array.from(output.data)).toEqual([8, 9, 10, 11, 14, 15, 16, 17]);
    expect(Array.from(argmax)).toEqual([8, 9, 10, 11, 14, 15, 16, 17]);
    expect(Array.from(backend.avgPool(x, g).data)).toEqual([4, 5, 6, 7, 10, 11, 12, 13]);
  });

  // The two backends word these differently ("window input (1, 3, 2, 2) does not match [1, 3, 3, 2]" in JsBackend,
  // "im2col input (1, 3, 2, 2) holds 12 values; the window geometry needs 18" in WasmBackend): both must be a
  // RangeError naming what was received.
  it('rejects tensors that do not match the geometry, and channel ranges outside it', () => {
    const wrong = backend.zeros([1, 3, 2, 2]);
    for (const op of [() => backend.im2col(wrong, g), () => backend.maxPool(wrong, g), () => backend.avgPoolBackward(wrong, g)]) {
      expect(op).toThrow(RangeError);
      expect(op).toThrow(/\(1, 3, 2, 2\)/);
    }
    expect(() => backend.im2col(backend.zeros([1, 3, 3, 2]), g, { start: 1, count: 2 })).toThrow(/outside 2 channels/);
    expect(() => backend.col2im(backend.zeros([4, 7]), g, backend.zeros([1, 3, 3, 2]))).toThrow(/28 values\b.*\b32\b/);
  });
});
