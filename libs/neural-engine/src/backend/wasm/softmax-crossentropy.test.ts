import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

// The WebAssembly softmax crossentropy backward pass bitwise against the JS kernel: odd class counts (the f64x2 step's
// single-lane tail), clipped classes, label smoothing, row scales, resident and staged tensors.

const show = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

/** A softmax output row by row: most rows ordinary, some with a class clipped near 0 and one near 1. */
function softmaxRows(rows: number, classes: number, rng: Rng): Float32Array {
  const p = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const spread = r % 5 === 3 ? 40 : 4;
    let sum = 0;
    for (let a = 0; a < classes; a++) sum += p[r * classes + a] = Math.exp(rng.uniformRange(-spread, spread));
    for (let a = 0; a < classes; a++) p[r * classes + a]! /= sum;
  }
  return p;
}

function oneHotRows(rows: number, classes: number, rng: Rng): Float32Array {
  const t = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) t[r * classes + Math.floor(rng.uniform() * classes)] = 1;
  return t;
}

describe('WasmBackend softmaxCrossentropyBackward', () => {
  const js = new JsBackend('float32');
  const wasm = WasmBackend.create({ rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
  afterAll(() => wasm.close());
  const rng = new Rng(23);

  for (const [rows, classes] of [[1, 1], [1, 2], [3, 3], [7, 10], [64, 10], [17, 11], [5, 257]] as const) {
    it(`${rows} rows of ${classes} classes: bitwise equal to JsBackend, with and without label smoothing`, () => {
      const probs = softmaxRows(rows, classes, rng);
      const labels = oneHotRows(rows, classes, rng);
      const scale = Float64Array.from({ length: rows }, (_, r) => (r % 4 === 2 ? 0 : rng.uniformRange(0.1, 2) / rows));
      for (const smoothing of [0, 0.1]) {
        const expected = js.softmaxCrossentropyBackward(js.fromValues([rows, classes], probs), js.fromValues([rows, classes], labels), smoothing, scale);
        // Staged (tensors in the JS heap) and resident (in the module's memory) operands take different binds.
        const staged = wasm.softmaxCrossentropyBackward(js.fromValues([rows, classes], probs), js.fromValues([rows, classes], labels), smoothing, scale);
        const resident = wasm.softmaxCrossentropyBackward(wasm.fromValues([rows, classes], probs), wasm.fromValues([rows, classes], labels), smoothing, scale);
        expect(show(staged.data)).toEqual(show(expected.data));
        expect(show(resident.data)).toEqual(show(expected.data));
        expect(resident.shape).toEqual([rows, classes]);
      }
    });
  }

  it('a clipped class passes no gradient and a zero row scale zeroes its row', () => {
    const probs = Float32Array.of(1e-9, 0.5, 0.5 - 1e-9, 0.2, 0.3, 0.5);
    const labels = Float32Array.of(1, 0, 0, 0, 1, 0);
    const out = wasm.softmaxCrossentropyBackward(wasm.fromValues([2, 3], probs), wasm.fromValues([2, 3], labels), 0, [1, 0]);
    // Row 0's target is clipped: nothing passes, so the row is q·0 - 0 = 0; row 1 is scaled by 0 ((0.3 - 1)·0 = -0).
    expect(show(out.data)).toEqual(['0', '0', '0', '0', '-0', '0']);
    const open = wasm.softmaxCrossentropyBackward(wasm.fromValues([1, 3], [0.2, 0.3, 0.5]), wasm.fromValues([1, 3], [0, 1, 0]), 0, [1]);
    expect(Array.from(open.data)).toEqual([0.2, 0.3 - 1, 0.5].map(Math.fround));
  });

  it('checks shapes as JsBackend does', () => {
    const p = wasm.fromValues([2, 3], [0.2, 0.3, 0.5, 0.1, 0.1, 0.8]);
    expect(() => wasm.softmaxCrossentropyBackward(p, wasm.zeros([2, 4]), 0, [1, 1])).toThrow('against labels (2, 4): expected one shape');
    expect(() => wasm.softmaxCrossentropyBackward(p, p, 0, [1, 1, 1])).toThrow('2 rows given 3 row scales');
  });
});
