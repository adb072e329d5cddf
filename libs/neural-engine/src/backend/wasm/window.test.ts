import { beforeAll, describe, expect, it } from 'vitest';
import { referenceCol2im, referenceConv2d, referencePool } from '../../kernels/conv-reference.js';
import { col2im as jsCol2im, im2col as jsIm2col } from '../../kernels/im2col.js';
import * as jsPool from '../../kernels/pooling.js';
import { referenceMatmul } from '../../kernels/reference.js';
import { type PaddingMode, type WindowGeometry, windowGeometry } from '../../kernels/window-geometry.js';
import { Rng } from '../../rng.js';
import type { WasmF32 } from './float-arena.js';
import { WasmKernels } from './wasm-kernels.js';

/*
 * The WebAssembly window kernels against the naive references of conv-reference.ts, and bitwise against their
 * TypeScript twins on float32 (they run the same float operations in the same order), over geometries covering
 * padding modes, strides, dilation, non-square kernels, channel slices, 1 and ≥ 8 channels; plus row splits.
 */

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
  // Channel runs long enough for memory.copy (≥ 8) and SIMD adds with a scalar tail (9, 13).
  { input: [2, 6, 5, 9], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' },
  { input: [1, 8, 8, 13], kernel: [2, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' },
  // col2im's blocks of sixteen channels summed in registers: exactly one block with padding, and two blocks plus a
  // remainder (four lanes and a scalar) with strides, dilation and padding.
  { input: [1, 5, 5, 16], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' },
  { input: [2, 6, 7, 37], kernel: [3, 2], strides: [2, 1], dilation: [1, 2], padding: 'same' },
  // The Keras mnist_convnet layers at batch 2: Conv2D 3x3 on 28x28x1, then on 13x13x32.
  { input: [2, 28, 28, 1], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [2, 13, 13, 32], kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
];

const make = (c: GeometryCase): WindowGeometry => windowGeometry(c.input, c.kernel, c.strides, c.dilation, c.padding);

let kernels: WasmKernels;
beforeAll(() => {
  kernels = WasmKernels.create({ initialBytes: 4 * 2 ** 20, maximumBytes: 256 * 2 ** 20 });
});

function randomIn(buffer: WasmF32, rng: Rng): Float32Array {
  const view = kernels.arena.view(buffer);
  for (let i = 0; i < view.length; i++) view[i] = rng.uniformRange(-1, 1);
  return view;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const bits = (view: Float32Array | Int32Array): Buffer => Buffer.from(view.slice().buffer);

describe('wasm im2col and col2im', () => {
  const rng = new Rng(17);
  it.each(geometries)('input $input, kernel $kernel, strides $strides, dilation $dilation, $padding', (c) => {
    const { arena } = kernels;
    const g = make(c);
    const filters = 3;
    const rows = g.batch * g.outH * g.outW;
    const width = g.kH * g.kW * g.channels;
    const x = arena.alloc(g.batch * g.inH * g.inW * g.channels);
    const xv = randomIn(x, rng);
    const cols = arena.alloc(rows * width);
    arena.view(cols).fill(7); // stale values must be overwritten, padding zeroed
    kernels.im2col(x, cols, g);
    const kernel = Float64Array.from({ length: width * filters }, () => rng.uniformRange(-1, 1));
    const y = referenceMatmul(arena.view(cols), kernel, rows, width, filters);
    // im2col only copies: the float64 products of its output match the direct convolution to float64 rounding.
    expect(maxAbsDiff(y, referenceConv2d(xv, kernel, g, filters))).toBeLessThan(1e-12);
    const jsCols = new Float32Array(rows * width);
    jsIm2col(xv, jsCols, g, 0, g.channels);
    expect(bits(arena.view(cols)).equals(bits(jsCols))).toBe(true);

    const C = arena.alloc(rows * width);
    const Cv = randomIn(C, rng);
    const dx = arena.zeros(xv.length);
    kernels.col2im(C, dx, g);
    // float32 sums of at most kH·kW terms of size ≤ 1.
    expect(maxAbsDiff(arena.view(dx), referenceCol2im(Cv, g, 0, g.channels))).toBeLessThan(1e-5);
    const jsDx = new Float32Array(xv.length);
    jsCol2im(Cv, jsDx, g, 0, g.channels);
    expect(bits(arena.view(dx)).equals(bits(jsDx))).toBe(true);
    for (const b of [x, cols, C, dx]) arena.release(b);
  });

  it.each([
    { channels: 12, range: { start: 2, count: 9 } },
    { channels: 24, range: { start: 3, count: 18 } },
  ])('works on a channel slice $range of $channels (grouped convolution) and leaves the other channels alone', ({ channels, range }) => {
    const { arena } = kernels;
    const g = make({ input: [2, 5, 4, channels], kernel: [2, 3], strides: [1, 2], dilation: [1, 1], padding: 'same' });
    const rows = g.batch * g.outH * g.outW;
    const width = g.kH * g.kW * range.count;
    const x = arena.alloc(g.batch * g.inH * g.inW * g.channels);
    const xv = randomIn(x, rng);
    const cols = arena.alloc(rows * width);
    kernels.im2col(x, cols, g, range);
    const jsCols = new Float32Array(rows * width);
    jsIm2col(xv, jsCols, g, range.start, range.count);
    expect(bits(arena.view(cols)).equals(bits(jsCols))).toBe(true);
    const dx = arena.alloc(xv.length);
    arena.view(dx).fill(3);
    kernels.col2im(cols, dx, g, range);
    const jsDx = new Float32Array(xv.length).fill(3);
    jsCol2im(jsCols, jsDx, g, range.start, range.count);
    expect(bits(arena.view(dx)).equals(bits(jsDx))).toBe(true);
  });

  it('row ranges computed separately are bitwise equal to one call', () => {
    const { arena } = kernels;
    const g = make(geometries[8]!);
    const rows = g.batch * g.outH * g.outW;
    const width = g.kH * g.kW * g.channels;
    const x = arena.alloc(g.batch * g.inH * g.inW * g.channels);
    randomIn(x, rng);
    const [whole, split] = [arena.alloc(rows * width), arena.alloc(rows * width)];
    kernels.im2col(x, whole, g);
    for (const [r0, r1] of [[0, 3], [3, 4], [4, rows]] as const) kernels.im2col(x, split, g, undefined, { rowStart: r0, rowEnd: r1 });
    expect(bits(arena.view(split)).equals(bits(arena.view(whole)))).toBe(true);
    const [d1, d2] = [arena.zeros(x.length), arena.zeros(x.length)];
    kernels.col2im(whole, d1, g);
    const inRows = g.batch * g.inH;
    for (const [r0, r1] of [[0, 2], [2, 7], [7, inRows]] as const) kernels.col2im(whole, d2, g, undefined, { rowStart: r0, rowEnd: r1 });
    expect(bits(arena.view(d2)).equals(bits(arena.view(d1)))).toBe(true);
  });
});

describe('wasm pooling', () => {
  const rng = new Rng(23);
  const pools = geometries.map((c) => ({ ...c, dilation: [1, 1] as [number, number], padding: c.padding === 'causal' ? 'same' as const : c.padding }));
  pools.push({ input: [2, 26, 26, 32], kernel: [2, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' }); // mnist_convnet

  it.each(pools)('input $input, pool $kernel, strides $strides, $padding', (c) => {
    const { arena } = kernels;
    const g = make(c);
    const outSize = g.batch * g.outH * g.outW * g.channels;
    const inSize = g.batch * g.inH * g.inW * g.channels;
    const x = arena.alloc(inSize);
    const xv = randomIn(x, rng); // continuous random values: no ties
    const dy = arena.alloc(outSize);
    const dyv = randomIn(dy, rng);
    const ref = referencePool(xv, g, dyv);
    const y = arena.alloc(outSize);
    const argmax = arena.alloc(outSize);
    kernels.maxPool(x, y, argmax, g);
    expect(maxAbsDiff(arena.view(y), ref.max)).toBe(0);
    const dx = arena.alloc(inSize);
    arena.view(dx).fill(5); // overwritten
    kernels.maxPoolBackward(dy, argmax, dx, g);
    expect(maxAbsDiff(arena.view(dx), ref.dxMax)).toBeLessThan(1e-5);
    const js = { y: new Float32Array(outSize), argmax: new Int32Array(outSize), dx: new Float32Array(inSize) };
    jsPool.maxPool(xv, js.y, js.argmax, g);
    jsPool.maxPoolBackward(dyv, js.argmax, js.dx, g);
    expect(bits(arena.viewInt32(argmax)).equals(bits(js.argmax))).toBe(true);
    expect(bits(arena.view(dx)).equals(bits(js.dx))).toBe(true);

    kernels.avgPool(x, y, g);
    expect(maxAbsDiff(arena.view(y), ref.avg)).toBeLessThan(1e-6);
    arena.view(dx).fill(5);
    kernels.avgPoolBackward(dy, dx, g);
    expect(maxAbsDiff(arena.view(dx), ref.dxAvg)).toBeLessThan(1e-5);
    jsPool.avgPool(xv, js.y, g);
    jsPool.avgPoolBackward(dyv, js.dx, g);
    expect(bits(arena.view(y)).equals(bits(js.y))).toBe(true);
    expect(bits(arena.view(dx)).equals(bits(js.dx))).toBe(true);
    for (const b of [x, dy, y, argmax, dx]) arena.release(b);
  });

  it('max pooling takes the first of tied maxima and a leading NaN, like the JS kernel', () => {
    const { arena } = kernels;
    const g = make({ input: [1, 2, 2, 2], kernel: [2, 2], strides: [1, 1], dilation: [1, 1], padding: 'valid' });
    const x = arena.alloc(8);
    arena.view(x).set([NaN, 1, 3, 1, 0, 1, 3, 1]); // channel 0: NaN first; channel 1: all equal
    const [y, argmax] = [arena.alloc(2), arena.alloc(2)];
    kernels.maxPool(x, y, argmax, g);
    expect(Number.isNaN(arena.view(y)[0])).toBe(true);
    expect([...arena.viewInt32(argmax)]).toEqual([0, 1]);

    // The same on the 4-channel SIMD path (5 channels: four lanes and a scalar tail), against the JS kernel.
    const g5 = make({ input: [1, 2, 2, 5], kernel: [2, 2], strides: [1, 1], dilation: [1, 1], padding: 'valid' });
    const values = [NaN, 1, 2, -Infinity, 1, 5, 1, 2, -Infinity, 1, 0, 1, 9, -Infinity, NaN, 5, 1, NaN, -Infinity, 1];
    const x5 = arena.alloc(20);
    arena.view(x5).set(values);
    const [y5, a5] = [arena.alloc(5), arena.alloc(5)];
    kernels.maxPool(x5, y5, a5, g5);
    const js = { y: new Float32Array(5), argmax: new Int32Array(5) };
    jsPool.maxPool(Float32Array.from(values), js.y, js.argmax, g5);
    expect([...arena.viewInt32(a5)]).toEqual([...js.argmax]);
    expect([...arena.viewInt32(a5)]).toEqual([0, 1, 12, 3, 4]);
    expect(bits(arena.view(y5)).equals(bits(js.y))).toBe(true);
  });

  it('row ranges computed separately are bitwise equal to one call', () => {
    const { arena } = kernels;
    const g = make({ input: [2, 5, 4, 9], kernel: [3, 2], strides: [2, 1], dilation: [1, 1], padding: 'same' });
    const outSize = g.batch * g.outH * g.outW * g.channels;
    const inSize = g.batch * g.inH * g.inW * g.channels;
    const x = arena.alloc(inSize);
    randomIn(x, rng);
    const dy = arena.alloc(outSize);
    randomIn(dy, rng);
    const outRows = g.batch * g.outH;
    const inRows = g.batch * g.inH;
    const [y1, y2, a1, a2] = [arena.alloc(outSize), arena.alloc(outSize), arena.alloc(outSize), arena.alloc(outSize)];
    kernels.maxPool(x, y1, a1, g);
    kernels.maxPool(x, y2, a2, g, { rowStart: 0, rowEnd: 1 });
    kernels.maxPool(x, y2, a2, g, { rowStart: 1, rowEnd: outRows });
    expect(bits(arena.view(y2)).equals(bits(arena.view(y1)))).toBe(true);
    expect(bits(arena.viewInt32(a2)).equals(bits(arena.viewInt32(a1)))).toBe(true);
    const [d1, d2] = [arena.alloc(inSize), arena.alloc(inSize)];
    kernels.maxPoolBackward(dy, a1, d1, g);
    kernels.maxPoolBackward(dy, a1, d2, g, { rowStart: 0, rowEnd: 3 });
    kernels.maxPoolBackward(dy, a1, d2, g, { rowStart: 3, rowEnd: inRows });
    expect(bits(arena.view(d2)).equals(bits(arena.view(d1)))).toBe(true);
    kernels.avgPool(x, y1, g);
    kernels.avgPool(x, y2, g, { rowStart: 0, rowEnd: 2 });
    kernels.avgPool(x, y2, g, { rowStart: 2, rowEnd: outRows });
    expect(bits(arena.view(y2)).equals(bits(arena.view(y1)))).toBe(true);
    kernels.avgPoolBackward(dy, d1, g);
    kernels.avgPoolBackward(dy, d2, g, { rowStart: 0, rowEnd: 5 });
    kernels.avgPoolBackward(dy, d2, g, { rowStart: 5, rowEnd: inRows });
    expect(bits(arena.view(d2)).equals(bits(arena.view(d1)))).toBe(true);
  });
});

describe('wasm window kernels: argument checks', () => {
  it('rejects buffers that do not match the geometry, bad channel ranges and bad rows, saying which', () => {
    const { arena } = kernels;
    const g = make({ input: [1, 3, 3, 2], kernel: [2, 2], strides: [1, 1], dilation: [1, 1], padding: 'valid' });
    const x = arena.alloc(18);
    expect(() => kernels.im2col(arena.alloc(17), arena.alloc(32), g)).toThrow(/im2col input holds 17 values; the window geometry needs 18/);
    expect(() => kernels.im2col(x, arena.alloc(31), g)).toThrow(/im2col output holds 31 values; the window geometry needs 32/);
    expect(() => kernels.im2col(x, arena.alloc(32), g, { start: 1, count: 2 })).toThrow(/channel range \[1, 3\) outside 2 channels/);
    expect(() => kernels.maxPool(x, arena.alloc(8), arena.alloc(8), g, { rowStart: 0, rowEnd: 3 })).toThrow(/rows \[0, 3\): expected 0 <= rowStart <= rowEnd <= 2 \(batch·outH\)/);
    expect(() => kernels.avgPool(x, arena.alloc(8), { ...g, strideH: 0 })).toThrow(/strideH = 0: expected at least 1/);
  });
});
