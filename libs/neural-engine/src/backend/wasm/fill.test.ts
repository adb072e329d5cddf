import { afterAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

// WasmBackend.fill writes resident tensors with the module's kernel (memory.fill for +0): the same bits as JS's fill,
// every length around the four-lane step, values that are not zero bits included.

describe('WasmBackend fill', () => {
  const wasm = WasmBackend.create({ initialBytes: 2 ** 20, maximumBytes: 2 ** 24 });
  const js = new JsBackend('float32');
  afterAll(() => wasm.close());
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  it('resident tensors of every length up to 9, and a large one, as JsBackend fills them', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 101_770]) {
      for (const value of [0, -0, 1.5, 0.1, -3e38, Number.NaN]) {
        // A lasting tensor lives in the module's memory; its neighbours must stay untouched.
        const [before, t, after] = wasm.lasting(() => [wasm.fromValues([1], [7]), wasm.fromValues([n], new Float32Array(n).fill(2)), wasm.fromValues([1], [9])]);
        expect(t!.data.buffer).toBe(before!.data.buffer);
        wasm.fill(t!, value);
        const expected = js.zeros([n]);
        js.fill(expected, value);
        expect(bits(t!.data as Float32Array), `n = ${n}, value ${value}`).toEqual(bits(expected.data as Float32Array));
        expect([before!.data[0], after!.data[0]]).toEqual([7, 9]);
        for (const x of [before!, t!, after!]) wasm.release(x);
      }
    }
  });

  it('zeros() inside a step are zero after the memory held other values', () => {
    for (let i = 0; i < 3; i++) {
      wasm.step('train', 8, () => {
        const z = wasm.zeros([8, 5]);
        expect(Array.from(z.data).every((v) => Object.is(v, 0))).toBe(true);
        wasm.fill(z, 4);
      });
    }
  });
});
