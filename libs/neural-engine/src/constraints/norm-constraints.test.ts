import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { float64Backend as b, testInputs } from '../testing/gradient-check.js';
import type { Constraint } from './constraint.js';
import { NonNeg } from './non-neg.js';
import { MaxNorm, MinMaxNorm, UnitNorm } from './norm-constraints.js';
import { testBackend } from '../testing/test-backend.js';

const EPS = 1e-7;

function applied(c: Constraint, shape: number[], values: ArrayLike<number>): number[] {
  const w = b.fromValues(shape, values);
  c.apply(w, b);
  return Array.from(w.data);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tolerance);
}

/** Kernel [[3, 0], [4, 1]]: column norms 5 and 1, row norms 3 and √17, total norm √26. */
const W = [3, 0, 4, 1];

describe('MaxNorm', () => {
  it('axis 0 (default): rescales each column (output unit) whose norm exceeds maxValue', () => {
    const s0 = 2 / (5 + EPS);
    const s1 = 1 / (1 + EPS);
    expectClose(applied(new MaxNorm(), [2, 2], W), [3 * s0, 0, 4 * s0, 1 * s1]);
  });
  it('axis 1 and axis -1: per row', () => {
    const r0 = 2 / (3 + EPS);
    const r1 = 2 / (Math.sqrt(17) + EPS);
    const expected = [3 * r0, 0, 4 * r1, 1 * r1];
    expectClose(applied(new MaxNorm({ axis: 1 }), [2, 2], W), expected);
    expectClose(applied(new MaxNorm({ axis: -1 }), [2, 2], W), expected);
  });
  it('an array of axes takes one norm over all of them', () => {
    const s = 4 / (Math.sqrt(26) + EPS);
    expectClose(applied(new MaxNorm({ maxValue: 4, axis: [0, 1] }), [2, 2], W), W.map((v) => v * s));
  });
  it('conv kernel [kh, kw, in, out] with axis [0, 1, 2]: every filter ends with norm <= maxValue', () => {
    const shape = [3, 3, 2, 4];
    const w = b.fromValues(shape, testInputs(72, 3, 7));
    new MaxNorm({ maxValue: 1.5, axis: [0, 1, 2] }).apply(w, b);
    for (let f = 0; f < 4; f++) {
      let s = 0;
      for (let i = f; i < 72; i += 4) s += w.data[i]! ** 2;
      expect(Math.sqrt(s)).toBeLessThanOrEqual(1.5);
      expect(Math.sqrt(s)).toBeGreaterThan(1.5 - 1e-6);
    }
  });
  it('a 1-D bias with axis 0 is one vector', () => {
    const s = 2 / (5 + EPS);
    expectClose(applied(new MaxNorm(), [2], [3, 4]), [3 * s, 4 * s]);
  });
});

describe('MinMaxNorm', () => {
  it('rate 1 (default): clips each norm into [minValue, maxValue]', () => {
    // Columns: norm 5 → 1 (maxValue default 1); norm 1 stays 1.
    expectClose(applied(new MinMaxNorm(), [2, 2], W), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)]);
    // minValue 2 raises the small column: norm 1 → 2.
    expectClose(applied(new MinMaxNorm({ minValue: 2, maxValue: 3 }), [2, 2], W), [
      3 * (3 / (5 + EPS)), 0, 4 * (3 / (5 + EPS)), 2 / (1 + EPS),
    ]);
  });
  it('rate 0.5 moves halfway: desired = 0.5·clip(norm) + 0.5·norm', () => {
    const d0 = 0.5 * 1 + 0.5 * 5;
    expectClose(applied(new MinMaxNorm({ rate: 0.5 }), [2, 2], W), [3 * (d0 / (5 + EPS)), 0, 4 * (d0 / (5 + EPS)), 1 / (1 + EPS)]);
  });
  it('axis 1: per row', () => {
    const r1 = Math.sqrt(17);
    expectClose(applied(new MinMaxNorm({ minValue: 0, maxValue: 3, axis: 1 }), [2, 2], W), [
      3 * (3 / (3 + EPS)), 0, 4 * (3 / (r1 + EPS)), 3 / (r1 + EPS),
    ]);
  });
});

describe('UnitNorm', () => {
  it('axis 0: each column divided by its norm (+ epsilon)', () => {
    expectClose(applied(new UnitNorm(), [2, 2], W), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)]);
  });
  it('axis 1: each row', () => {
    const r1 = Math.sqrt(17) + EPS;
    expectClose(applied(new UnitNorm({ axis: 1 }), [2, 2], W), [3 / (3 + EPS), 0, 4 / r1, 1 / r1]);
  });
  it('leaves an all-zero slice at zero (epsilon avoids 0/0)', () => {
    expect(applied(new UnitNorm(), [2, 2], [0, 3, 0, 4])).toEqual([0, 3 / (5 + EPS), 0, 4 / (5 + EPS)]);
  });
});

describe('NonNeg', () => {
  it('zeroes negative values and keeps the rest', () => {
    expect(applied(new NonNeg(), [5], [-1, 0, 2, -0.5, 3])).toEqual([0, 0, 2, 0, 3]);
  });
});

describe('idempotence (up to Keras epsilon)', () => {
  const cases: Array<[string, Constraint, number]> = [
    // Norm rescaling multiplies by norm/(norm + 1e-7) on each further call: a relative drift of ~1e-7.
    ['MaxNorm', new MaxNorm({ maxValue: 1 }), 1e-6],
    ['UnitNorm', new UnitNorm({ axis: [0] }), 1e-6],
    ['MinMaxNorm', new MinMaxNorm({ minValue: 0.5, maxValue: 1.2 }), 1e-6],
    ['NonNeg', new NonNeg(), 0],
  ];
  for (const [name, c, tolerance] of cases) {
    it(`${name}: applying twice equals applying once`, () => {
      const w = b.fromValues([6, 4], testInputs(24, 3, 2));
      c.apply(w, b);
      const once = Array.from(w.data);
      c.apply(w, b);
      for (let i = 0; i < once.length; i++) expect(Math.abs(w.data[i]! - once[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(once[i]!)));
    });
  }
});

describe('errors and backends', () => {
  it('an axis beyond the weight rank throws a ConfigError naming the axis and shape', () => {
    const w = b.fromValues([3], [1, 2, 3]);
    expect(() => new MaxNorm({ axis: 1 }).apply(w, b)).toThrow(ConfigError);
    expect(() => new UnitNorm({ axis: -2 }).apply(w, b)).toThrow(/axis -2.*\(3,\)/);
  });
  it('works in place on float32 tensors', () => {
    const b32 = testBackend();
    const w: Tensor = b32.fromValues([2, 2], W);
    new UnitNorm().apply(w, b32);
    expect(w.data).toBeInstanceOf(Float32Array);
    expect(w.data[2]).toBeCloseTo(0.8, 6);
  });
});

describe('against TensorFlow.js constraints (same formulas, epsilon 1e-7)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const values = testInputs(24, 3, 4);
  const shape = [4, 6];
  const cases: Array<[string, Constraint, ReturnType<typeof tf.constraints.maxNorm>]> = [
    ['maxNorm axis 0', new MaxNorm({ maxValue: 1.5 }), tf.constraints.maxNorm({ maxValue: 1.5, axis: 0 })],
    ['maxNorm axis 1', new MaxNorm({ maxValue: 1.5, axis: 1 }), tf.constraints.maxNorm({ maxValue: 1.5, axis: 1 })],
    ['minMaxNorm', new MinMaxNorm({ minValue: 2, maxValue: 3, rate: 0.7 }), tf.constraints.minMaxNorm({ minValue: 2, maxValue: 3, rate: 0.7, axis: 0 })],
    ['unitNorm axis 1', new UnitNorm({ axis: 1 }), tf.constraints.unitNorm({ axis: 1 })],
    ['nonNeg', new NonNeg(), tf.constraints.nonNeg()],
  ];
  for (const [name, ours, theirs] of cases) {
    it(name, () => {
      const expected = tf.tidy(() => theirs.apply(tf.tensor2d(Array.from(values), shape as [number, number])).dataSync());
      expectClose(applied(ours, shape, values), expected, 1e-5);
    });
  }
});
