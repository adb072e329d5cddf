import { describe, expect, it } from 'vitest';
import { computeFans } from './initializer.js';

describe('computeFans (Keras compute_fans)', () => {
  it('uses 1 for a scalar', () => {
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });
  it('uses the length of a vector for both fans', () => {
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
  });
  it('uses [in, out] of a matrix', () => {
    expect(computeFans([5, 3])).toEqual({ fanIn: 5, fanOut: 3 });
  });
  it('multiplies the receptive field into both fans of a conv kernel [kh, kw, in, out]', () => {
    // 3·3 receptive field: fanIn = 3·3·16, fanOut = 3·3·32.
    expect(computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
  });
  it('handles a 1-D conv kernel [k, in, out]', () => {
    expect(computeFans([5, 4, 6])).toEqual({ fanIn: 20, fanOut: 30 });
  });
});
