import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { Constant, Ones, Zeros } from './constant.js';

const rng = new Rng(0);

describe('Zeros, Ones, Constant', () => {
  it('Zeros fills with 0 for any shape', () => {
    expect(Array.from(new Zeros().init([2, 3], rng))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new Zeros().init([], rng)).toHaveLength(1);
  });
  it('Ones fills with 1', () => {
    expect(Array.from(new Ones().init([4], rng))).toEqual([1, 1, 1, 1]);
  });
  it('Constant fills with its value, 0 by default as in Keras', () => {
    expect(Array.from(new Constant({ value: -2.5 }).init([2, 2], rng))).toEqual([-2.5, -2.5, -2.5, -2.5]);
    expect(Array.from(new Constant().init([3], rng))).toEqual([0, 0, 0]);
  });
  it('does not consume the RNG', () => {
    const r = new Rng(5);
    const before = r.getState();
    new Constant({ value: 1 }).init([10], r);
    new Zeros().init([10], r);
    expect(r.getState()).toEqual(before);
  });
});
