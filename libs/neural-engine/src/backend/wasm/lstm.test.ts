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

  it('NaN stays NaN through the clamps and ±Infinity saturates, as in the JS kernel', () => {
    const wasm = WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
    const units = 5;
    // Each gate block of the one row: NaN, ±Infinity, and two finite values (the unit beyond the 4-lane group too).
    const block = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, Number.NaN];
    const zv = [...block, ...block, ...block, ...block];
    const cv = [0.25, -0.25, 0.5, 1, -1];
    const actual = wasm.lstmCell(kinds, wasm.fromValues([1, 4 * units], zv), wasm.fromValues([1, units], cv));
    const expected = js.lstmCell(kinds, js.fromValues([1, 4 * units], zv), js.fromValues([1, units], cv));
    for (const t of ['gates', 'c', 'cellOut', 'h'] as const) {
      const a = actual[t].data;
      const e = expected[t].data;
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(e[i]!)) expect(a[i], `${t}[${i}]`).toBeNaN();
        // σ(-∞): the wasm kernel clamps to -87 and gives ~1.6e-38 where the JS kernel gives 0.
        else expect(Math.abs(a[i]! - e[i]!), `${t}[${i}] = ${a[i]} against ${e[i]}`).toBeLessThan(1e-6 * Math.abs(e[i]!) + 1e-37);
      }
    }
  });

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

describe('WasmBackend.lstmSequence (the whole sequence in one kernel call)', () => {
  const rng = new Rng(29);
  const bits = (a: FloatArray): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const cases = [
    [1, 1, 1], [3, 5, 3], [5, 7, 4], [2, 0, 6], [6, 9, 7], [64, 12, 16],
    // The recurrent kernel packed whole across several of gemm's blocks: 4·40 columns (two column blocks, forward);
    // 4·70 steps (two blocks of steps, backward) and 280 columns ending in a partial strip; 130 units, too large to
    // pack whole (gemm packs per step, as for any other product).
    [3, 4, 40], [5, 3, 70], [2, 2, 130],
  ] as const;
  for (const [batch, steps, units] of cases) {
    for (const goBackwards of [false, true]) {
      it(`${batch} rows × ${steps} steps × ${units} units${goBackwards ? ', backwards' : ''}: bitwise equal to its ops step by step`, () => {
        const wasm = WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
        const values = (n: number, scale: number) => Array.from({ length: n }, () => rng.uniformRange(-scale, scale));
        const xz = wasm.fromValues([batch, steps, 4 * units], values(batch * steps * 4 * units, 3));
        const kernel = wasm.fromValues([units, 4 * units], values(4 * units * units, 0.8));
        const [h0, c0] = [wasm.fromValues([batch, units], values(batch * units, 1)), wasm.fromValues([batch, units], values(batch * units, 2))];
        const options = { goBackwards, returnSequences: true, record: true };
        const actual = wasm.lstmSequence(kinds, xz, kernel, h0, c0, options);
        // The reference loop (matmul, addInPlace, lstmCell) dispatching to the WebAssembly backend's own ops.
        const expected = JsBackend.prototype.lstmSequence.call(wasm, kinds, xz, kernel, h0, c0, options);
        for (const name of ['sequence', 'h', 'c'] as const) {
          expect(bits(actual[name]!.data).equals(bits(expected[name]!.data)), name).toBe(true);
        }
        expect(bits(actual.record!.steps.data).equals(bits(expected.record!.steps.data)), 'record').toBe(true);
        expect(bits(actual.record!.hPrev.data).equals(bits(expected.record!.hPrev.data)), 'record hPrev').toBe(true);
        // The backward pass over that record, from output gradients of either form and non-zero last-state gradients.
        for (const returnSequences of [true, false]) {
          const dOut = wasm.fromValues(returnSequences ? [batch, steps, units] : [batch, units], values(batch * (returnSequences ? steps : 1) * units, 1));
          const [dh, dc] = [wasm.fromValues([batch, units], values(batch * units, 0.5)), wasm.fromValues([batch, units], values(batch * units, 0.5))];
          const back = { goBackwards, returnSequences };
          const got = wasm.lstmSequenceBackward(kinds, actual.record!, kernel, dOut, dh, dc, back);
          const want = JsBackend.prototype.lstmSequenceBackward.call(wasm, kinds, expected.record!, kernel, dOut, dh, dc, back);
          for (const name of ['dxz', 'dh', 'dc'] as const) {
            expect(bits(got[name].data).equals(bits(want[name].data)), `${name}, returnSequences ${returnSequences}`).toBe(true);
          }
        }
        if (steps > 0) expect(Array.from(actual.h.data)).not.toEqual(Array.from(h0.data));
        // Without the sequence, the same last states; the initial states are left as they were.
        const last = wasm.lstmSequence(kinds, xz, kernel, h0, c0, { goBackwards, returnSequences: false });
        expect(last.sequence).toBeNull();
        expect(bits(last.h.data).equals(bits(expected.h.data))).toBe(true);
        expect(Array.from(h0.data)).toEqual(Array.from(wasm.fromValues([batch, units], h0.data).data));
      });
    }
  }

  it('rejects operands that do not fit together, naming what it expected', () => {
    const wasm = WasmBackend.create({ threads: 1, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
    const options = { goBackwards: false, returnSequences: false };
    expect(() => wasm.lstmSequence(kinds, wasm.zeros([2, 3, 8]), wasm.zeros([2, 8]), wasm.zeros([2, 3]), wasm.zeros([2, 2]), options))
      .toThrow(/LSTM sequence operands \(2, 3, 8\), \(2, 8\), \(2, 3\), \(2, 2\): expected xz \[batch, steps, 4·units\]/);
  });
});

describe('WasmBackend.lstmCellBackward (float64 pairs, as the JS kernel computes)', () => {
  const rng = new Rng(37);
  const bits = (a: FloatArray): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  // Gradients spanning the f32 range, signed zeros included; gates at their ends (0, 1) and inside.
  const GRADIENTS = [0, -0, 1e-30, -1e-30, 1e-3, 0.7, -2.5, 1e15, -1e15, 3e38];
  const GATES = [0, 1, 1e-7, 0.9999999, 0.5, 0.25];
  for (const [rows, units] of [[1, 1], [2, 3], [3, 5], [7, 64], [64, 64], [5, 9]] as const) {
    it(`${rows} rows × ${units} units: bitwise equal to the JS kernel`, () => {
      const wasm = WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
      const pick = (list: readonly number[], i: number, draw: () => number) => (i < list.length ? list[i]! : draw());
      const gates = Array.from({ length: rows * 4 * units }, (_, i) => pick(GATES, i, () => rng.uniformRange(0, 1)) * (Math.floor(i / units) % 4 === 2 ? -1 : 1));
      const state = (scale: number) => Array.from({ length: rows * units }, (_, i) => pick(GRADIENTS, i, () => rng.uniformRange(-scale, scale)));
      const [cPrev, c, cellOut, dh, dc] = [state(3), state(3), state(1).map((v) => Math.max(-1, Math.min(1, v))), state(2), state(2)];
      const step = <B extends JsBackend>(b: B) => ({
        z: b.fromValues([rows, 4 * units], gates), gates: b.fromValues([rows, 4 * units], gates),
        cPrev: b.fromValues([rows, units], cPrev), c: b.fromValues([rows, units], c), cellOut: b.fromValues([rows, units], cellOut),
      });
      const expected = js.lstmCellBackward(kinds, step(js), js.fromValues([rows, units], dh), js.fromValues([rows, units], dc));
      const actual = wasm.lstmCellBackward(kinds, step(wasm), wasm.fromValues([rows, units], dh), wasm.fromValues([rows, units], dc));
      expect(bits(actual.dz.data).equals(bits(expected.dz.data)), 'dz').toBe(true);
      expect(bits(actual.dcPrev.data).equals(bits(expected.dcPrev.data)), 'dcPrev').toBe(true);
    });
  }
});
