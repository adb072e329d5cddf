import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * The WebAssembly keep mask against the JS loop (rng.uniform() ≥ rate ? keep : 0): the same bits and the generator left
 * in the same state, so dropout draws the same stream on either backend and training goes on identically.
 */

const js = new JsBackend('float32');
const wasm = WasmBackend.create({ threads: 1, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 27 });
const bits = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('WasmBackend.keepMask (xoshiro128** in WebAssembly)', () => {
  for (const n of [1, 2, 7, 1000, 100_003]) {
    for (const [rate, keep] of [[0.5, 2], [0.1, 1 / 0.9], [0.9, 10], [0, 1], [0.999999, 1e6]] as const) {
      it(`${n} values, rate ${rate}: the JS loop's bits and generator state`, () => {
        const [a, b] = [new Rng(n * 7 + 1), new Rng(n * 7 + 1)];
        a.uniform(); // a state that is not the seed's first
        b.uniform();
        const expected = js.keepMask([n], rate, keep, a);
        const actual = wasm.keepMask([n], rate, keep, b);
        expect(bits(actual.data as Float32Array).equals(bits(expected.data as Float32Array))).toBe(true);
        expect(b.getState()).toEqual(a.getState());
        expect(b.uniform()).toBe(a.uniform());
      });
    }
  }

  // Rates outside [0, 1) and NaN (the kernel compares each draw as an integer with ⌈rate·2^53⌉, clamped), and a rate
  // equal to a draw, which u ≥ rate keeps.
  for (const rate of [1, 1.5, -0.5, Number.NaN, 'the second draw'] as const) {
    it(`rate ${rate}: the JS loop's bits`, () => {
      const [a, b] = [new Rng(11), new Rng(11)];
      const r = typeof rate === 'number' ? rate : (() => { const c = new Rng(11); c.uniform(); return c.uniform(); })();
      const expected = js.keepMask([1000], r, 2, a);
      const actual = wasm.keepMask([1000], r, 2, b);
      expect(bits(actual.data as Float32Array).equals(bits(expected.data as Float32Array))).toBe(true);
      if (typeof rate !== 'number') expect(actual.data[1]).toBe(2);
    });
  }

  it('keeps about 1 - rate of the values', () => {
    const mask = wasm.keepMask([100_000], 0.3, 1 / 0.7, new Rng(5)).data;
    const kept = Array.from(mask).filter((v) => v !== 0).length / mask.length;
    expect(kept).toBeGreaterThan(0.69);
    expect(kept).toBeLessThan(0.71);
  });
});
