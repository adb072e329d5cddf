import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { testBackend } from '../testing/test-backend.js';
import { JsBackend } from './js-backend.js';

/*
 * The element-wise helpers against the obvious per-element loop: float64 on the plain TypeScript backend, float32 on
 * the test backend (JsBackend or WasmBackend, whose row ops must give the same bits).
 */

describe.each(['float32', 'float64'] as const)('%s element-wise helpers', (dtype) => {
  const backend = dtype === 'float32' ? testBackend() : new JsBackend(dtype);
  const rng = new Rng(11);
  const a = Array.from({ length: 24 }, () => rng.uniformRange(-2, 2));
  const b = Array.from({ length: 24 }, () => rng.uniformRange(-2, 2));
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const ta = backend.fromValues([4, 6], a);
  const tb = backend.fromValues([4, 6], b);

  it('stores in the backend dtype', () => {
    expect(ta.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
    expect(backend.zeros([2, 3]).shape).toEqual([2, 3]);
  });

  it('map, map2, scale, addInPlace, axpyInPlace, fill', () => {
    expect(Array.from(backend.map(ta, (v, i) => v * i).data)).toEqual(a.map((v, i) => round(round(v) * i)));
    expect(Array.from(backend.map2(ta, tb, (x, y) => x - y).data)).toEqual(a.map((v, i) => round(round(v) - round(b[i]!))));
    expect(Array.from(backend.scale(ta, 3).data)).toEqual(a.map((v) => round(round(v) * 3)));
    const acc = backend.clone(ta);
    backend.addInPlace(acc, tb);
    expect(Array.from(acc.data)).toEqual(a.map((v, i) => round(round(v) + round(b[i]!))));
    const axpy = backend.clone(ta);
    backend.axpyInPlace(axpy, -0.5, tb);
    expect(Array.from(axpy.data)).toEqual(a.map((v, i) => round(round(v) + -0.5 * round(b[i]!))));
    backend.fill(axpy, 7);
    expect(Array.from(axpy.data).every((v) => v === 7)).toBe(true);
  });

  it('add and multiply, new or in place', () => {
    expect(Array.from(backend.add(ta, tb).data)).toEqual(a.map((v, i) => round(round(v) + round(b[i]!))));
    expect(Array.from(backend.multiply(ta, tb).data)).toEqual(a.map((v, i) => round(round(v) * round(b[i]!))));
    const t = backend.clone(ta);
    expect(backend.multiply(t, tb, t)).toBe(t);
    expect(Array.from(t.data)).toEqual(a.map((v, i) => round(round(v) * round(b[i]!))));
  });

  it('map and map2 may write in place; clone copies; reshape shares storage', () => {
    const t = backend.clone(ta);
    backend.map(t, (v) => v + 1, t);
    expect(t.data[0]).toBe(round(round(a[0]!) + 1));
    expect(ta.data[0]).toBe(round(a[0]!));
    const view = backend.reshape(t, [24]);
    view.data[0] = 42;
    expect(t.data[0]).toBe(42);
  });

  it('rejects mismatched sizes', () => {
    expect(() => backend.map2(ta, backend.zeros([3]), (x) => x)).toThrow(/different sizes: 24 and 3/);
    expect(() => backend.add(ta, backend.zeros([3]))).toThrow(/add of tensors of different sizes: 24 and 3/);
    expect(() => backend.multiply(ta, tb, backend.zeros([5]))).toThrow(/multiply output \(5,\) holds 5 values; the inputs 24/);
    expect(() => backend.addInPlace(ta, backend.zeros([3]))).toThrow(/cannot accumulate 3 values into 24/);
    expect(() => backend.addRowVector(ta, backend.zeros([4]))).toThrow(/cannot add a vector of 4/);
  });
});
