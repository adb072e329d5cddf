import { describe, expect, it } from 'vitest';
import { sigmoid } from '../activations/math.js';
import { Rng } from '../rng.js';
import { type ActivationKernel, activationBackward, activationForward } from './activations.js';

// The naive per-element definitions the kernels must reproduce bit for bit (the activations' scalar functions).
const reference: Record<ActivationKernel, { f: (x: number) => number; df: (x: number, y: number) => number }> = {
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
};

type FloatType = Float32ArrayConstructor | Float64ArrayConstructor;

const EDGES = [0, -0, 1e-45, -1e-45, 1, -1, 20, -20, 89, -89, 1e30, -1e30, Infinity, -Infinity, NaN];

function inputs(n: number, rng: Rng, Type: FloatType) {
  const x = new Type(n + EDGES.length);
  x.set(EDGES);
  for (let i = EDGES.length; i < x.length; i++) x[i] = rng.uniformRange(-8, 8);
  return x;
}

/** A new array of `Type` with out[i] = f(src[i], i). */
function mapped(Type: FloatType, src: ArrayLike<number>, f: (v: number, i: number) => number): Float32Array | Float64Array {
  const out = new Type(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!, i);
  return out;
}

const bits = (a: Float32Array | Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v)));

describe('activation kernels against the scalar functions', () => {
  const rng = new Rng(11);
  for (const kind of ['relu', 'sigmoid', 'tanh'] as const) {
    for (const Type of [Float32Array, Float64Array] as FloatType[]) {
      it(`${kind} forward and backward are bitwise equal on ${Type.name} (edge values included)`, () => {
        const { f, df } = reference[kind];
        const x = inputs(301, rng, Type);
        const y = new Type(x.length);
        activationForward(kind, x, y, 0, x.length);
        const expectedY = mapped(Type, x, (v) => f(v));
        expect(bits(y)).toEqual(bits(expectedY));

        const dy = mapped(Type, x, () => rng.uniformRange(-2, 2));
        dy[3] = -1.5; // a negative gradient at a negative -1e-45: relu's 0 keeps its sign
        const dx = new Type(x.length);
        activationBackward(kind, x, y, dy, dx, 0, x.length);
        const expectedDx = mapped(Type, x, (v, i) => dy[i]! * df(v, y[i]!));
        expect(bits(dx)).toEqual(bits(expectedDx));
      });
    }

    it(`${kind} touches only its range, and works in place`, () => {
      const x = Float32Array.from([-2, -1, 0.5, 3, -4]);
      const y = new Float32Array(5).fill(7);
      activationForward(kind, x, y, 1, 4);
      expect([y[0], y[4]]).toEqual([7, 7]);
      const inPlace = Float32Array.from(x);
      activationForward(kind, inPlace, inPlace, 0, 5);
      const whole = new Float32Array(5);
      activationForward(kind, x, whole, 0, 5);
      expect(bits(inPlace)).toEqual(bits(whole));
    });
  }
});
