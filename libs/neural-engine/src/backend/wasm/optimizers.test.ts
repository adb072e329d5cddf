import { beforeAll, describe, expect, it } from 'vitest';
import { type AdamCoefficients, adamUpdate as jsAdamUpdate } from '../../kernels/optimizer-updates.js';
import { Rng } from '../../rng.js';
import { JsBackend } from '../js-backend.js';
import type { WasmF32 } from './float-arena.js';
import { WasmBackend } from './wasm-backend.js';
import { WasmKernels } from './wasm-kernels.js';

// The fused Adam update in WebAssembly, bitwise against the JS kernel (which is the optimizer's own loop).

let kernels: WasmKernels;
beforeAll(() => {
  kernels = WasmKernels.create({ initialBytes: 2 ** 22, maximumBytes: 2 ** 26 });
});

const bits = (a: Float32Array): Buffer => Buffer.from(a.slice().buffer);
const coefficients: AdamCoefficients = { alpha: 0.00316, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Parameter, gradient and slots after some history: m and v non-zero, v ≥ 0, vHat ≥ v where it matters. */
function state(n: number, rng: Rng) {
  const f = (g: () => number) => Float32Array.from({ length: n }, g);
  return {
    w: f(() => rng.uniformRange(-1, 1)),
    g: f(() => rng.uniformRange(-3, 3)),
    m: f(() => rng.uniformRange(-0.5, 0.5)),
    v: f(() => rng.uniformRange(0, 2)),
    vHat: f(() => rng.uniformRange(0, 2)),
  };
}

describe('wasm adamUpdate', () => {
  const rng = new Rng(5);
  for (const n of [1, 2, 3, 7, 64, 1001]) {
    for (const amsgrad of [false, true]) {
      it(`${n} elements${amsgrad ? ', AMSGrad' : ''}: bitwise equal to the JS update, over the whole and over a split`, () => {
        const s = state(n, rng);
        // Edge values: a zero gradient and slot (sqrt(0) + ε), a huge gradient (g² far above f32's range before rounding).
        s.g[0] = 0;
        s.m[0] = 0;
        s.v[0] = 0;
        if (n > 1) s.g[1] = 3e19;
        const expected = { w: s.w.slice(), m: s.m.slice(), v: s.v.slice(), vHat: s.vHat.slice() };
        jsAdamUpdate(expected.w, s.g, expected.m, expected.v, amsgrad ? expected.vHat : null, coefficients, 0, n);

        for (const cut of [n, Math.floor(n / 2)]) {
          const { arena } = kernels;
          const [w, g, m, v, vHat] = [s.w, s.g, s.m, s.v, s.vHat].map((values) => {
            const buffer = arena.alloc(n);
            arena.view(buffer).set(values);
            return buffer;
          }) as [WasmF32, WasmF32, WasmF32, WasmF32, WasmF32];
          kernels.adamUpdate(w, g, m, v, amsgrad ? vHat : null, coefficients, { start: 0, end: cut });
          kernels.adamUpdate(w, g, m, v, amsgrad ? vHat : null, coefficients, { start: cut, end: n });
          expect(bits(arena.view(w))).toEqual(bits(expected.w));
          expect(bits(arena.view(m))).toEqual(bits(expected.m));
          expect(bits(arena.view(v))).toEqual(bits(expected.v));
          expect(bits(arena.view(vHat))).toEqual(bits(amsgrad ? expected.vHat : s.vHat));
          for (const b of [w, g, m, v, vHat]) arena.release(b);
        }
      });
    }
  }

  it('checks lengths and ranges', () => {
    const { arena } = kernels;
    const [a, b] = [arena.alloc(8), arena.alloc(4)];
    expect(() => kernels.adamUpdate(a, b, a, a, null, coefficients)).toThrow(/adam gradient holds 4 floats; expected at least 8/);
    expect(() => kernels.adamUpdate(a, a, a, a, null, coefficients, { start: 2, end: 9 })).toThrow(/adam elements \[2, 9\)/);
  });
});

describe('WasmBackend.adamUpdate', () => {
  it('updates the JS-heap tensors as JsBackend does, bit for bit, above and below the row threshold', () => {
    const js = new JsBackend('float32');
    const rng = new Rng(8);
    for (const [n, rowThreshold] of [[5000, 1024], [300, 1024], [300, 0]] as const) {
      const wasm = WasmBackend.create({ rowThreshold, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
      const s = state(n, rng);
      const onJs = [s.w, s.g, s.m, s.v, s.vHat].map((values) => js.fromValues([n], values));
      const onWasm = [s.w, s.g, s.m, s.v, s.vHat].map((values) => wasm.fromValues([n], values));
      for (let step = 0; step < 3; step++) {
        js.adamUpdate(onJs[0]!, onJs[1]!, onJs[2]!, onJs[3]!, onJs[4]!, coefficients);
        wasm.adamUpdate(onWasm[0]!, onWasm[1]!, onWasm[2]!, onWasm[3]!, onWasm[4]!, coefficients);
      }
      onJs.forEach((t, i) => expect(bits(onWasm[i]!.data as Float32Array)).toEqual(bits(t.data as Float32Array)));
      expect(() => wasm.adamUpdate(onWasm[0]!, wasm.zeros([n + 1]), onWasm[2]!, onWasm[3]!, null, coefficients))
        .toThrow(new RegExp(`adam update: a tensor of ${n + 1} values for a parameter of ${n}`));
    }
  });
});
