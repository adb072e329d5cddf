import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { Initializer } from './initializer.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import { sampleMoments } from '../testing/sample-moments.js';

const N = 200_000;
/** Allowed deviation in standard errors (a false failure has probability ~6e-7 per check). */
const K = 5;

/** Variance of a unit normal truncated to [-2, 2]: Keras's 0.87962566103423978 squared. */
const TRUNCATED_UNIT_VARIANCE = 0.87962566103423978 ** 2;

function expectMoments(values: Float64Array, mean: number, variance: number): void {
  const m = sampleMoments(values);
  expect(Math.abs(m.mean - mean)).toBeLessThan(K * m.meanError);
  expect(Math.abs(m.variance - variance)).toBeLessThan(K * m.varianceError);
}

describe('RandomNormal', () => {
  it('defaults to mean 0, stddev 0.05 (Keras)', () => {
    expectMoments(new RandomNormal().init([N], new Rng(1)), 0, 0.05 ** 2);
  });
  it('follows mean and stddev', () => {
    const values = new RandomNormal({ mean: 3, stddev: 2, seed: 4 }).init([400, 500], new Rng(0));
    expectMoments(values, 3, 4);
    // About 4.55% of a normal lies beyond 2 stddev: not truncated.
    const beyond = values.filter((v) => Math.abs(v - 3) > 4).length / values.length;
    expect(beyond).toBeGreaterThan(0.04);
    expect(beyond).toBeLessThan(0.051);
  });
});

describe('TruncatedNormal', () => {
  it('stays within 2 stddev of the mean (Keras 3 redraws beyond)', () => {
    const values = new TruncatedNormal({ mean: -1, stddev: 0.5, seed: 2 }).init([N], new Rng(0));
    const m = sampleMoments(values);
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThanOrEqual(0);
    // The tails are used: samples reach close to both bounds.
    expect(m.min).toBeLessThan(-1.99);
    expect(m.max).toBeGreaterThan(-0.01);
  });
  it('has the variance of a truncated normal: stddev² · 0.8796²', () => {
    expectMoments(new TruncatedNormal({ stddev: 0.05 }).init([N], new Rng(3)), 0, 0.05 ** 2 * TRUNCATED_UNIT_VARIANCE);
  });
});

describe('RandomUniform', () => {
  it('defaults to [-0.05, 0.05) (Keras)', () => {
    const values = new RandomUniform().init([N], new Rng(5));
    const m = sampleMoments(values);
    expect(m.min).toBeGreaterThanOrEqual(-0.05);
    expect(m.max).toBeLessThan(0.05);
    expect(m.min).toBeLessThan(-0.0499);
    expect(m.max).toBeGreaterThan(0.0499);
    expectMoments(values, 0, 0.1 ** 2 / 12);
  });
  it('follows minval and maxval', () => {
    const values = new RandomUniform({ minval: 2, maxval: 5, seed: 9 }).init([N], new Rng(0));
    const m = sampleMoments(values);
    expect(m.min).toBeGreaterThanOrEqual(2);
    expect(m.max).toBeLessThan(5);
    expectMoments(values, 3.5, 9 / 12);
  });
});

describe('seeding', () => {
  const seeded: Array<[string, (seed: number | null) => Initializer]> = [
    ['RandomNormal', (seed) => new RandomNormal({ seed })],
    ['RandomUniform', (seed) => new RandomUniform({ seed })],
    ['TruncatedNormal', (seed) => new TruncatedNormal({ seed })],
  ];
  for (const [name, make] of seeded) {
    it(`${name}: the same seed gives the same values on every call and instance, ignoring the model RNG`, () => {
      const init = make(42);
      const rng = new Rng(7);
      const state = rng.getState();
      const a = init.init([50], rng);
      expect(Array.from(init.init([50], new Rng(99)))).toEqual(Array.from(a));
      expect(Array.from(make(42).init([50], rng))).toEqual(Array.from(a));
      expect(rng.getState()).toEqual(state);
    });
    it(`${name}: different seeds give different values`, () => {
      const a = make(1).init([50], new Rng(0));
      const b = make(2).init([50], new Rng(0));
      expect(Array.from(a)).not.toEqual(Array.from(b));
    });
    it(`${name}: unseeded, draws from the model RNG (so the model seed decides the values)`, () => {
      const init = make(null);
      const a = init.init([50], new Rng(11));
      expect(Array.from(init.init([50], new Rng(11)))).toEqual(Array.from(a));
      const shared = new Rng(11);
      const first = init.init([50], shared);
      const second = init.init([50], shared);
      expect(Array.from(first)).toEqual(Array.from(a));
      expect(Array.from(second)).not.toEqual(Array.from(first));
    });
  }
});
