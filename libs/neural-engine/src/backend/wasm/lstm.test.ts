import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import type { FloatArray } from '../../tensor.js';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * The SIMD forward LSTM step (sigmoid gates, tanh cell) against the JS kernel, which rounds Math.exp/Math.tanh's
 * float64 results: within a few f32 ulp, relative (also near 0, where tanh ≈ x), on unit counts off the 4-lane
 * groups and on extreme pre-activations.
 */

const js = new JsBackend('float32');
const kinds = { gate: 'sigmoid', cell: 'tanh' } as const;
const EXTREMES = [0, -0, 1e-7, -1e-7, 1e-3, -1e-3, 0.3, -0.3, 5, -5, 20, -20, 87, -87, 89, -89, 100, -100, 1e30, -1e30];

/** Largest |a - b| / (|b| + 1e-30) over the elements (ulp of f32 ≈ 6e-8 relative). */
function worstRelative(a: FloatArray, b: FloatArray): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (Math.abs(b[i]!) + 1e-30));
  return worst;
}

describe('WasmBackend.lstmCell (SIMD sigmoid and tanh)', () => {
  const rng = new Rng(23);
  for (const [rows, units] of [[1, 1], [2, 3], [3, 5], [7, 64], [64, 64]] as const) {
    it(`${rows} rows × ${units} units: within a few ulp of the JS kernel`, () => {
      const wasm = WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
      // Every gate block of the first row starts with the extremes (tanh's block too: its precision near 0 matters).
      const zv = Array.from({ length: rows * 4 * units }, (_, i) => (i < 4 * units && i % units < EXTREMES.length ? EXTREMES[i % units]! : rng.uniformRange(-8, 8)));
      const cv = Array.from({ length: rows * units }, (_, i) => (i % 7 === 0 ? rng.uniformRange(-1e-4, 1e-4) : rng.uniformRange(-3, 3)));
      const expected = js.lstmCell(kinds, js.fromValues([rows, 4 * units], zv), js.fromValues([rows, units], cv));
      const actual = wasm.lstmCell(kinds, wasm.fromValues([rows, 4 * units], zv), wasm.fromValues([rows, units], cv));
      // A gate is one transcendental of an exact input: a few ulp, relative. c sums two rounded products in f32 (the JS
      // kernel in f64), so c, tanh(c) and h are bounded by the terms' size, not the result's (cancellation).
      expect(worstRelative(actual.gates.data, expected.gates.data)).toBeLessThan(4e-7);
      for (const [name, t] of [['c', 'c'], ['cellOut', 'cellOut'], ['h', 'h']] as const) {
        const a = actual[t].data;
        const e = expected[t].data;
        for (let i = 0; i < a.length; i++) {
          // Cancellation in f·cPrev + i·g: bound the error by the terms' size, not the result's.
          expect(Math.abs(a[i]! - e[i]!), `${name}[${i}]`).toBeLessThan(1e-6 * (Math.abs(e[i]!) + 3));
        }
      }
      // The backward pass runs on what the forward stored, on either backend.
      const dh = js.fromValues([rows, units], cv);
      const back = wasm.lstmCellBackward(kinds, actual, dh, dh);
      expect(back.dz.data.every(Number.isFinite)).toBe(true);
    });
  }

  it('leaves other activation pairs to the JS kernel, bit for bit', () => {
    const wasm = WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
    const other = { gate: 'sigmoid', cell: 'relu' } as const;
    const zv = Array.from({ length: 2 * 4 * 6 }, () => rng.uniformRange(-4, 4));
    const cv = Array.from({ length: 12 }, () => rng.uniformRange(-1, 1));
    const a = wasm.lstmCell(other, wasm.fromValues([2, 24], zv), wasm.fromValues([2, 6], cv));
    const e = js.lstmCell(other, js.fromValues([2, 24], zv), js.fromValues([2, 6], cv));
    expect(Array.from(a.h.data)).toEqual(Array.from(e.h.data));
  });
});
