import { afterAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

// The WebAssembly finiteness check against the JS one: every length up to 40 (the 16-value step and the tail), one
// non-finite value at every position, and finite edge values that must pass.

describe('WasmBackend allFinite', () => {
  const js = new JsBackend('float32');
  const wasm = WasmBackend.create({ rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 2 ** 24 });
  afterAll(() => wasm.close());
  const FINITE_EDGES = [0, -0, 1.4e-45, -1.4e-45, 1.1754942e-38, 3.4028234e38, -3.4028234e38, 1, -1];
  const NON_FINITE = [Number.NaN, Infinity, -Infinity];

  it('finite values pass, whatever the length', () => {
    for (let n = 0; n <= 40; n++) {
      const values = Float32Array.from({ length: n }, (_, i) => FINITE_EDGES[i % FINITE_EDGES.length]!);
      expect(wasm.allFinite(wasm.fromValues([n], values)), `n = ${n}`).toBe(true);
      expect(js.allFinite(js.fromValues([n], values))).toBe(true);
    }
  });

  it('one NaN or infinity anywhere fails, staged or resident', () => {
    for (let n = 1; n <= 40; n++) {
      for (let at = 0; at < n; at++) {
        const values = new Float32Array(n).fill(3.4028234e38);
        values[at] = NON_FINITE[(n + at) % 3]!;
        expect(wasm.allFinite(wasm.fromValues([n], values)), `n = ${n}, at ${at}`).toBe(false);
        expect(wasm.allFinite(js.fromValues([n], values)), `staged: n = ${n}, at ${at}`).toBe(false);
        expect(js.allFinite(js.fromValues([n], values))).toBe(false);
      }
    }
  });
});
