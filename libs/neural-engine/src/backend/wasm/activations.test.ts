import { beforeAll, describe, expect, it } from 'vitest';
import { activationBackward, activationForward } from '../../kernels/activations.js';
import { Rng } from '../../rng.js';
import { JsBackend } from '../js-backend.js';
import type { WasmF32 } from './float-arena.js';
import { WasmBackend } from './wasm-backend.js';
import { WasmKernels } from './wasm-kernels.js';

// relu's WebAssembly kernels bitwise against the JS kernels, edge values and range splits included; WasmBackend's
// activation ops against JsBackend's for every kernel activation.

let kernels: WasmKernels;
beforeAll(() => {
  kernels = WasmKernels.create({ initialBytes: 2 ** 22, maximumBytes: 2 ** 26 });
});

const EDGES = [0, -0, 1e-45, -1e-45, 1, -1, 3.4e38, -3.4e38, Infinity, -Infinity, NaN];
const show = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

function values(n: number, rng: Rng): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = i < EDGES.length ? EDGES[i]! : rng.uniformRange(-4, 4);
  return v;
}

describe('wasm relu kernels', () => {
  const rng = new Rng(17);
  for (const n of [1, 3, 4, 11, 64, 1027]) {
    it(`${n} elements: forward and backward bitwise equal to the JS kernels, whole and split, in place`, () => {
      const x = values(n, rng);
      const dy = values(n, rng).reverse();
      const y = new Float32Array(n);
      activationForward('relu', x, y, 0, n);
      const dx = new Float32Array(n);
      activationBackward('relu', x, y, dy, dx, 0, n);

      const put = (v: Float32Array): WasmF32 => {
        const b = kernels.arena.alloc(n);
        kernels.arena.view(b).set(v);
        return b;
      };
      const [wx, wy, wdy] = [put(x), kernels.arena.alloc(n), put(dy)];
      const cut = Math.floor(n / 3);
      kernels.reluForward(wx, wy, { start: 0, end: cut });
      kernels.reluForward(wx, wy, { start: cut, end: n });
      expect(show(kernels.arena.view(wy))).toEqual(show(y));
      kernels.reluBackward(wx, wdy, wdy, { start: cut, end: n });
      kernels.reluBackward(wx, wdy, wdy, { start: 0, end: cut });
      expect(show(kernels.arena.view(wdy))).toEqual(show(dx));
      kernels.reluForward(wx, wx);
      expect(show(kernels.arena.view(wx))).toEqual(show(y));
      for (const b of [wx, wy, wdy]) kernels.arena.release(b);
    });
  }

  it('checks its range', () => {
    const b = kernels.arena.alloc(8);
    expect(() => kernels.reluForward(b, b, { start: 0, end: 9 })).toThrow(/relu elements \[0, 9\)/);
    kernels.arena.release(b);
  });
});

describe('WasmBackend activation ops', () => {
  const js = new JsBackend('float32');
  const rng = new Rng(19);
  for (const kind of ['relu', 'sigmoid', 'tanh'] as const) {
    it(`${kind}: bitwise equal to JsBackend above and below the row threshold, with and without out`, () => {
      for (const rowThreshold of [0, 1024]) {
        const wasm = WasmBackend.create({ rowThreshold, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
        for (const n of [5, 3000]) {
          const xv = values(n, rng);
          const dyv = values(n, rng).reverse();
          const [x, dy] = [wasm.fromValues([n], xv), wasm.fromValues([n], dyv)];
          const [xj, dyj] = [js.fromValues([n], xv), js.fromValues([n], dyv)];
          const y = wasm.activation(kind, x);
          const yj = js.activation(kind, xj);
          expect(show(y.data)).toEqual(show(yj.data));
          const into = wasm.zeros([n]);
          expect(wasm.activation(kind, x, into)).toBe(into);
          expect(show(into.data)).toEqual(show(yj.data));
          expect(show(wasm.activationGradient(kind, x, y, dy).data)).toEqual(show(js.activationGradient(kind, xj, yj, dyj).data));
        }
        expect(() => wasm.activation(kind, wasm.zeros([3000]), wasm.zeros([2999]))).toThrow(/output \(2999,\) holds 2999 values; the input 3000/);
      }
    });
  }
});
