import { beforeAll, describe, expect, it } from 'vitest';
import { referenceAddRowVector, referenceSumRows } from '../../kernels/reference.js';
import { addRowVector as jsAddRowVector, sumRows as jsSumRows } from '../../kernels/rows.js';
import { Rng } from '../../rng.js';
import { JsBackend } from '../js-backend.js';
import type { WasmF32 } from './float-arena.js';
import { WasmBackend } from './wasm-backend.js';
import { WasmKernels } from './wasm-kernels.js';

// Row and element-wise kernels against the naive references and bitwise against the JS backend, plus range splits.

let kernels: WasmKernels;
beforeAll(() => {
  kernels = WasmKernels.create({ initialBytes: 2 ** 22, maximumBytes: 2 ** 26 });
});
const rng = new Rng(31);

function random(length: number, spread = 3): WasmF32 {
  const buffer = kernels.arena.alloc(length);
  const view = kernels.arena.view(buffer);
  for (let i = 0; i < length; i++) view[i] = rng.uniformRange(-spread, spread);
  return buffer;
}

const bits = (view: Float32Array): Buffer => Buffer.from(view.slice().buffer);
const shapes: [number, number][] = [[1, 1], [1, 7], [5, 1], [3, 8], [13, 9], [64, 128], [7, 10], [33, 17]];

describe('wasm row kernels', () => {
  it.each(shapes)('addRowVector and sumRows on [%i, %i]', (rows, cols) => {
    const { arena } = kernels;
    const x = random(rows * cols);
    const v = random(cols);
    const out = arena.alloc(rows * cols);
    kernels.addRowVector(x, v, out, rows, cols);
    const ref = referenceAddRowVector(arena.view(x), arena.view(v), rows, cols);
    // One float32 add per element: within half an ulp of the float64 sum.
    for (let i = 0; i < rows * cols; i++) expect(Math.abs(arena.view(out)[i]! - ref[i]!)).toBeLessThanOrEqual(Math.abs(ref[i]!) * 2 ** -24);
    const js = new Float32Array(rows * cols);
    jsAddRowVector(arena.view(x), arena.view(v), js, cols, 0, rows);
    expect(bits(arena.view(out)).equals(bits(js))).toBe(true);

    const sums = arena.alloc(cols);
    kernels.sumRows(x, sums, rows, cols);
    const refSums = referenceSumRows(arena.view(x), rows, cols);
    for (let c = 0; c < cols; c++) expect(Math.abs(arena.view(sums)[c]! - refSums[c]!)).toBeLessThanOrEqual(Math.abs(refSums[c]!) * 2 ** -24 + 1e-12);
    const jsSums = new Float32Array(cols);
    jsSumRows(arena.view(x), jsSums, rows, cols);
    expect(bits(arena.view(sums)).equals(bits(jsSums))).toBe(true);
  });

  it('in place (out = x) and split into ranges, bitwise equal to one call', () => {
    const { arena } = kernels;
    const [rows, cols] = [21, 19];
    const x = random(rows * cols);
    const v = random(cols);
    const [whole, split] = [arena.alloc(rows * cols), arena.alloc(rows * cols)];
    arena.view(whole).set(arena.view(x));
    arena.view(split).set(arena.view(x));
    kernels.addRowVector(whole, v, whole, rows, cols);
    for (const [start, end] of [[0, 5], [5, 6], [6, rows]] as const) kernels.addRowVector(split, v, split, rows, cols, { start, end });
    expect(bits(arena.view(split)).equals(bits(arena.view(whole)))).toBe(true);
    const [s1, s2] = [arena.alloc(cols), arena.alloc(cols)];
    kernels.sumRows(x, s1, rows, cols);
    for (const [start, end] of [[0, 3], [3, 11], [11, cols]] as const) kernels.sumRows(x, s2, rows, cols, { start, end });
    expect(bits(arena.view(s2)).equals(bits(arena.view(s1)))).toBe(true);
  });
});

describe('wasm element-wise kernels', () => {
  const js = new JsBackend('float32');
  it.each([1, 2, 3, 17, 1000])('axpy and scale on %i elements are bitwise equal to the JS backend', (n) => {
    const { arena } = kernels;
    const t = random(n);
    const x = random(n);
    const alpha = -0.1234567891;
    const jsT = js.fromValues([n], arena.view(t));
    const jsX = js.fromValues([n], arena.view(x));
    kernels.axpy(t, alpha, x);
    js.axpyInPlace(jsT, alpha, jsX);
    expect(bits(arena.view(t)).equals(bits(jsT.data as Float32Array))).toBe(true);
    const out = arena.alloc(n);
    kernels.scale(x, 1 / 3, out);
    expect(bits(arena.view(out)).equals(bits(js.scale(jsX, 1 / 3).data as Float32Array))).toBe(true);
    // Ranges: the second half only.
    const half = Math.floor(n / 2);
    const before = arena.view(t).slice();
    kernels.axpy(t, 2, x, { start: half });
    const after = arena.view(t);
    for (let i = 0; i < half; i++) expect(after[i]).toBe(before[i]);
    for (let i = half; i < n; i++) expect(after[i]).toBe(Math.fround(before[i]! + 2 * arena.view(x)[i]!));
  });

  it('rejects mismatched sizes and bad ranges, saying which', () => {
    const { arena } = kernels;
    expect(() => kernels.axpy(arena.alloc(4), 1, arena.alloc(5))).toThrow(/cannot accumulate 5 values into 4/);
    expect(() => kernels.scale(arena.alloc(4), 1, arena.alloc(5))).toThrow(/scale of 4 values into an output of 5/);
    expect(() => kernels.addRowVector(arena.alloc(6), arena.alloc(2), arena.alloc(6), 3, 3)).toThrow(/addRowVector input holds 6 floats; expected at least 9/);
    expect(() => kernels.sumRows(arena.alloc(6), arena.alloc(3), 2, 3, { start: 2, end: 1 })).toThrow(/sumRows columns \[2, 1\): expected 0 <= start <= end <= 3/);
  });
});

describe('WasmBackend add and multiply (f32x4)', () => {
  const js = new JsBackend('float32');
  // Signed zeros, a subnormal, values whose sum or product overflows or underflows f32, and ordinary ones.
  const EDGES = [0, -0, 1e-45, -3e-39, 3.4e38, -3.4e38, 1e-30, 7, -2.5, 1e20, 0.1, 1 / 3];
  for (const n of [1, 3, 4, 7, 33, 1000]) {
    it(`${n} values: the JS loop's bits, into a new tensor and in place`, () => {
      const wasm = rowBackend();
      const values = (offset: number) => Array.from({ length: n }, (_, i) => (i < EDGES.length ? EDGES[(i + offset) % EDGES.length]! : rng.uniformRange(-5, 5)));
      const [av, bv] = [values(0), values(5)];
      for (const op of ['add', 'multiply'] as const) {
        const expected = js[op](js.fromValues([n], av), js.fromValues([n], bv));
        const actual = wasm[op](wasm.fromValues([n], av), wasm.fromValues([n], bv));
        expect(bits(actual.data as Float32Array).equals(bits(expected.data as Float32Array)), op).toBe(true);
        const a = wasm.fromValues([n], av);
        wasm[op](a, wasm.fromValues([n], bv), a);
        expect(bits(a.data as Float32Array).equals(bits(expected.data as Float32Array)), `${op} in place`).toBe(true);
      }
    });
  }
});

/** A backend sending every row op to the kernels (none are too small). */
function rowBackend(): WasmBackend {
  return WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
}
