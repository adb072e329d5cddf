import { beforeAll, describe, expect, it } from 'vitest';
import { optimizerUpdate } from '../../kernels/optimizer-updates.js';
import { Rng } from '../../rng.js';
import { UPDATE_CASES, type UpdateState, copyState, updateState } from '../../testing/optimizer-update-cases.js';
import { JsBackend } from '../js-backend.js';
import type { WasmF32 } from './float-arena.js';
import { WasmBackend } from './wasm-backend.js';
import { WasmKernels } from './wasm-kernels.js';

// The fused optimizer updates in WebAssembly, every rule and variant, bitwise against the JS kernels (which are the
// optimizers' own loops), NaN payloads and signs of zero included.

let kernels: WasmKernels;
beforeAll(() => {
  kernels = WasmKernels.create({ initialBytes: 2 ** 22, maximumBytes: 2 ** 26 });
});

const bits = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Expects the same bits, naming the first element that differs. */
function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  if (bits(actual).equals(bits(expected))) return;
  const i = actual.findIndex((v, j) => !bits(actual.subarray(j, j + 1)).equals(bits(expected.subarray(j, j + 1))));
  expect.fail(`${what}: element ${i} of ${actual.length} is ${actual[i]}, expected ${expected[i]}`);
}

function expectSameState(actual: UpdateState, expected: UpdateState): void {
  expectSameBits(actual.w, expected.w, 'parameter');
  actual.slots.forEach((s, i) => s && expectSameBits(s, expected.slots[i]!, `slot ${i}`));
}

/** Copies a state into the memory, runs `run` on the buffers, and reads them back (then frees them). */
function onKernels(s: UpdateState, run: (w: WasmF32, g: WasmF32, slots: (WasmF32 | null)[]) => void): UpdateState {
  const { arena } = kernels;
  const place = (values: Float32Array): WasmF32 => {
    const buffer = arena.alloc(values.length);
    arena.view(buffer).set(values);
    return buffer;
  };
  const [w, g] = [place(s.w), place(s.g)];
  const slots = s.slots.map((x) => (x ? place(x) : null));
  run(w, g, slots);
  const out = { w: arena.view(w).slice(), g: s.g, slots: slots.map((b) => (b ? arena.view(b).slice() : null)) };
  for (const b of [w, g, ...slots]) if (b) arena.release(b);
  return out;
}

describe.each(UPDATE_CASES)('wasm optimizerUpdate, $label', (c) => {
  const rng = new Rng(5);
  // Lengths around the lane counts (2 in f64, 4 in f32) and cuts off the lane boundaries (1, 3, 5), so an element sits
  // in different lanes, or in the one-element tail, from one run to the next; the gradient's edge values (NaN,
  // ±Infinity, …) fill its first elements (from 3 on: NaN) and, from 16, its last ones.
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 33, 1000, 1001]) {
    it(`${n} elements: bitwise equal to the JS update, over the whole, over a split and over a sub-range`, () => {
      const s = updateState(c, n, rng);
      const expected = copyState(s);
      optimizerUpdate(c.rule, expected.w, expected.g, expected.slots, c.c, 0, n);
      for (const cut of new Set([n, Math.floor(n / 2), 1, 3, 5].filter((k) => k <= n))) {
        expectSameState(onKernels(copyState(s), (w, g, slots) => {
          kernels.optimizerUpdate(c.rule, w, g, slots, c.c, { start: 0, end: cut });
          kernels.optimizerUpdate(c.rule, w, g, slots, c.c, { start: cut, end: n });
        }), expected);
      }
      // [start, end) alone: elements outside it stay as they were on both sides.
      const [start, end] = [Math.floor(n / 3), n - Math.floor(n / 4)];
      const partial = copyState(s);
      optimizerUpdate(c.rule, partial.w, partial.g, partial.slots, c.c, start, end);
      expectSameState(onKernels(copyState(s), (w, g, slots) => kernels.optimizerUpdate(c.rule, w, g, slots, c.c, { start, end })), partial);
    });
  }
});

describe('wasm optimizerUpdate checks', () => {
  it('checks lengths, ranges and the slots a rule requires', () => {
    const { arena } = kernels;
    const [a, b] = [arena.alloc(8), arena.alloc(4)];
    const c = { alpha: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    expect(() => kernels.optimizerUpdate('adam', a, b, [a, a], c)).toThrow(/adam gradient holds 4 floats; expected at least 8/);
    expect(() => kernels.optimizerUpdate('adam', a, a, [a, b], c)).toThrow(/adam v holds 4 floats; expected at least 8/);
    expect(() => kernels.optimizerUpdate('adam', a, a, [a, a], c, { start: 2, end: 9 })).toThrow(/adam elements \[2, 9\)/);
    expect(() => kernels.optimizerUpdate('adam', a, a, [a], c)).toThrow(/adam slot v missing/);
    expect(() => kernels.optimizerUpdate('sgdMomentum', a, a, [], { lr: 1, momentum: 0.9 })).toThrow(/sgdMomentum slot velocity missing/);
    expect(() => kernels.optimizerUpdate('sgd', a, a, [a], { lr: 1 })).toThrow(/sgd takes 0 slots, not 1/);
    arena.release(a);
    arena.release(b);
  });
});

describe('WasmBackend.optimizerUpdate', () => {
  it.each(UPDATE_CASES)('$label: updates JS-heap tensors as JsBackend does, bit for bit, above and below the row threshold', (c) => {
    const js = new JsBackend('float32');
    const rng = new Rng(8);
    for (const [n, rowThreshold] of [[5000, 1024], [300, 1024], [300, 0]] as const) {
      const wasm = WasmBackend.create({ rowThreshold, initialBytes: 2 ** 20, maximumBytes: 2 ** 26 });
      const s = updateState(c, n, rng);
      const tensors = (b: JsBackend) => ({
        w: b.fromValues([n], s.w), g: b.fromValues([n], s.g), slots: s.slots.map((x) => (x ? b.fromValues([n], x) : null)),
      });
      const [onJs, onWasm] = [tensors(js), tensors(wasm)];
      for (let step = 0; step < 3; step++) {
        js.optimizerUpdate(c.rule, onJs.w, onJs.g, onJs.slots, c.c);
        wasm.optimizerUpdate(c.rule, onWasm.w, onWasm.g, onWasm.slots, c.c);
      }
      const data = (t: { data: unknown } | null) => t?.data as Float32Array;
      expectSameState(
        { w: data(onWasm.w), g: s.g, slots: onWasm.slots.map(data) },
        { w: data(onJs.w), g: s.g, slots: onJs.slots.map(data) },
      );
      expect(() => wasm.optimizerUpdate(c.rule, onWasm.w, wasm.zeros([n + 1]), onWasm.slots, c.c))
        .toThrow(new RegExp(`${c.rule} update: a tensor of ${n + 1} values for a parameter of ${n}`));
    }
  });

  it('rejects a missing slot on both backends alike', () => {
    for (const b of [new JsBackend('float32'), WasmBackend.create({ rowThreshold: 0 })]) {
      const t = b.zeros([4]);
      expect(() => b.optimizerUpdate('nadam', t, t, [t, null], { lr: 1, beta1: 0.9, beta2: 0.9, epsilon: 0, uT: 0, uNext: 0, productT: 1, beta2Power: 0.9 }))
        .toThrow(/nadam update: slot v missing/);
    }
  });
});
