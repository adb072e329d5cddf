import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Identity } from './identity.js';

describe('Identity', () => {
  it('gives the identity matrix for a square shape', () => {
    expect(Array.from(new Identity().init([3, 3]))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it('scales the diagonal by gain', () => {
    expect(Array.from(new Identity({ gain: 2.5 }).init([2, 2]))).toEqual([2.5, 0, 0, 2.5]);
  });
  it('fills the main diagonal of rectangular shapes (Keras eye(rows, cols))', () => {
    expect(Array.from(new Identity().init([2, 3]))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(new Identity().init([3, 2]))).toEqual([1, 0, 0, 1, 0, 0]);
  });
  it('rejects shapes that are not 2-D with a ConfigError naming the shape', () => {
    const init = new Identity();
    expect(() => init.init([4])).toThrow(ConfigError);
    expect(() => init.init([2, 2, 2])).toThrow(/2-D.*\(2, 2, 2\)/);
  });
});
