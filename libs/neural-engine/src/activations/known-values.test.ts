import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import type { Shape } from '../tensor.js';
import type { ActivationConfig } from './activation.js';
import { getActivation } from './index.js';
import { erf, erfc } from './math.js';

/*
 * Values at hand-derived points, for the activations TensorFlow.js lacks and for Keras' documented examples. Each
 * expected value is derived in the comment next to it, from the Keras 3 definition.
 */

const backend = new JsBackend('float64');

function apply(config: ActivationConfig, values: number[], shape: Shape = [values.length]): number[] {
  return Array.from(getActivation(config).apply(backend.fromValues(shape, values), backend).data);
}

function expectValues(actual: number[], expected: number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

describe('relu reproduces the examples of the Keras 3 docstring', () => {
  const x = [-10, -5, 0, 5, 10];
  it('default', () => expectValues(apply('relu', x), [0, 0, 0, 5, 10]));
  it('negativeSlope 0.5', () => expectValues(apply({ type: 'relu', negativeSlope: 0.5 }, x), [-5, -2.5, 0, 5, 10]));
  it('maxValue 5', () => expectValues(apply({ type: 'relu', maxValue: 5 }, x), [0, 0, 0, 5, 5]));
  it('threshold 5 (5 itself is not above the threshold)', () => expectValues(apply({ type: 'relu', threshold: 5 }, x), [0, 0, 0, 0, 10]));
  it('all three arguments', () => {
    // slope 0.5, max 4, threshold 1: x·[x > 1] clipped to [0, 4], minus 0.5·max(1 - x, 0).
    // -10 → 0 - 5.5 = -5.5; 0 → 0 - 0.5 = -0.5; 1 → 0 - 0 = 0; 2 → 2; 5 → 4.
    expectValues(apply({ type: 'relu', negativeSlope: 0.5, maxValue: 4, threshold: 1 }, [-10, 0, 1, 2, 5]), [-5.5, -0.5, 0, 2, 4]);
  });
  it('a negative threshold keeps small negative inputs unless maxValue clips them at 0 (Keras composition)', () => {
    // threshold -1: x·[x > -1] → -2 → 0, -0.5 → -0.5; with maxValue 3 the clip to [0, 3] maps -0.5 to 0.
    expectValues(apply({ type: 'relu', threshold: -1 }, [-2, -0.5, 2]), [0, -0.5, 2]);
    expectValues(apply({ type: 'relu', threshold: -1, maxValue: 3 }, [-2, -0.5, 2, 4]), [0, 0, 2, 3]);
  });
});

describe('sparsemax', () => {
  it('[1, 2, 3] → [0, 0, 1]', () => {
    // Sorted 3, 2, 1 with cumulative sums 3, 5, 6: 1 + 1·3 > 3 holds, 1 + 2·2 > 5 does not (5 = 5), so the support
    // is {3} and τ = (3 - 1)/1 = 2: max(z - 2, 0) = [0, 0, 1].
    expectValues(apply('sparsemax', [1, 2, 3]), [0, 0, 1]);
  });
  it('[0.1, 0.2, 0.3] keeps the full support', () => {
    // Cumulative sums 0.3, 0.5, 0.6; 1 + 3·0.1 = 1.3 > 0.6, so k = 3 and τ = (0.6 - 1)/3 = -2/15:
    // p = z + 2/15 = [7/30, 1/3, 13/30] (sums to 1).
    expectValues(apply('sparsemax', [0.1, 0.2, 0.3]), [7 / 30, 1 / 3, 13 / 30]);
  });
  it('[0.5, 0, -0.5] has a support of two', () => {
    // k = 2: 1 + 2·0 = 1 > 0.5; k = 3: 1 - 1.5 < 0. τ = (0.5 - 1)/2 = -0.25 → [0.75, 0.25, 0].
    expectValues(apply('sparsemax', [0.5, 0, -0.5]), [0.75, 0.25, 0]);
  });
  it('is invariant to adding a constant, and works along axis 0', () => {
    expectValues(apply('sparsemax', [101, 102, 103]), [0, 0, 1]);
    // Columns of [[0.5, 1], [0, 2], [-0.5, 3]] are [0.5, 0, -0.5] → [0.75, 0.25, 0] and [1, 2, 3] → [0, 0, 1].
    expectValues(apply({ type: 'sparsemax', axis: 0 }, [0.5, 1, 0, 2, -0.5, 3], [3, 2]), [0.75, 0, 0.25, 0, 0, 1]);
  });
  it('splits ties evenly', () => {
    // [1, 1]: k = 2 (1 + 2 > 2), τ = (2 - 1)/2 = 0.5 → [0.5, 0.5].
    expectValues(apply('sparsemax', [1, 1]), [0.5, 0.5]);
  });
});

describe('glu', () => {
  it('reproduces the Keras docstring example [-1, 0, 1, 1] → [-σ(1), 0]', () => {
    // a = [-1, 0], b = [1, 1]: a·σ(b) = [-0.7310585786300049, 0].
    expectValues(apply('glu', [-1, 0, 1, 1], [1, 4]), [-1 / (1 + Math.exp(-1)), 0]);
  });
  it('halves the split axis', () => {
    const glu = getActivation({ type: 'glu', axis: 1 });
    const y = glu.apply(backend.zeros([2, 6, 3]), backend);
    expect(y.shape).toEqual([2, 3, 3]);
    expect(glu.computeOutputShape?.([6, 3])).toEqual([3, 3]); // per-sample shape: axis 1 is its first axis
    expect(getActivation('glu').computeOutputShape?.([6, 4])).toEqual([6, 2]);
  });
});

describe('piecewise Keras 3 activations', () => {
  const x = [-4, -3, -1, -0.5, 0, 0.2, 0.5, 0.7, 1, 1.5, 3, 4];
  it('hard_sigmoid = relu6(x + 3)/6', () => {
    // -4 → 0; -3 → 0; -1 → 2/6; -0.5 → 2.5/6; 0 → 0.5; 0.2 → 3.2/6; 0.5 → 3.5/6; 0.7 → 3.7/6; 1 → 4/6; 1.5 → 0.75; 3, 4 → 1.
    expectValues(apply('hard_sigmoid', x), [0, 0, 2 / 6, 2.5 / 6, 0.5, 3.2 / 6, 3.5 / 6, 3.7 / 6, 4 / 6, 0.75, 1, 1]);
  });
  it('hard_sigmoid_keras2 = clip(0.2·x + 0.5, 0, 1) (Keras 2 / TensorFlow.js)', () => {
    expectValues(apply('hard_sigmoid_keras2', [-4, -2.5, -1, 0, 0.5, 1, 2.5, 4]), [0, 0, 0.3, 0.5, 0.6, 0.7, 1, 1]);
  });
  it('hard_silu = x·hard_sigmoid(x)', () => {
    expectValues(apply('hard_silu', [-4, -1, 0, 1.5, 4]), [-0, -1 / 3, 0, 1.125, 4]);
  });
  it('hard_tanh', () => expectValues(apply('hard_tanh', [-4, -0.5, 0.7, 1.5]), [-1, -0.5, 0.7, 1]));
  it('hard_shrink keeps |x| > 0.5', () => expectValues(apply('hard_shrink', [-1, -0.5, 0.2, 0.5, 0.7]), [-1, 0, 0, 0, 0.7]));
  it('soft_shrink moves |x| > 0.5 towards 0 by 0.5', () =>
    expectValues(apply('soft_shrink', [-1, -0.5, 0.2, 0.5, 0.7]), [-0.5, 0, 0, 0, 0.2]));
  it('soft_shrink / hard_shrink with threshold 1', () => {
    expectValues(apply({ type: 'soft_shrink', threshold: 1 }, [-3, 0.7, 1.5]), [-2, 0, 0.5]);
    expectValues(apply({ type: 'hard_shrink', threshold: 1 }, [-3, 0.7, 1, 1.5]), [-3, 0, 0, 1.5]);
  });
  it('sparse_plus: 0, (x + 1)²/4, x', () => {
    // -2 → 0; -1 → 0; 0 → 1/4; 0.5 → 2.25/4 = 0.5625; 1 → 1; 3 → 3.
    expectValues(apply('sparse_plus', [-2, -1, 0, 0.5, 1, 3]), [0, 0, 0.25, 0.5625, 1, 3]);
  });
  it('sparse_sigmoid: 0, (x + 1)/2, 1', () => expectValues(apply('sparse_sigmoid', [-2, -1, 0, 0.5, 1, 2]), [0, 0, 0.5, 0.75, 1, 1]));
  it('threshold(x, 0.5, -1)', () => expectValues(apply({ type: 'threshold', threshold: 0.5, defaultValue: -1 }, [0.2, 0.5, 0.7]), [-1, -1, 0.7]));
  it('relu6', () => expectValues(apply('relu6', [-1, 3, 6, 7]), [0, 3, 6, 6]));
});

describe('smooth activations tf lacks', () => {
  it('squareplus = (x + √(x² + b))/2', () => {
    // b = 4: 0 → √4/2 = 1; 1.5 → (1.5 + √6.25)/2 = 2; -1.5 → (-1.5 + 2.5)/2 = 0.5.
    expectValues(apply('squareplus', [0, 1.5, -1.5]), [1, 2, 0.5]);
    // b = 0 is relu; b = 9: 4 → (4 + 5)/2 = 4.5.
    expectValues(apply({ type: 'squareplus', b: 0 }, [-2, 0, 2]), [0, 0, 2]);
    expectValues(apply({ type: 'squareplus', b: 9 }, [4]), [4.5]);
  });
  it('celu = α(exp(x/α) - 1) below 0', () => {
    // α = 2: -1 → 2(e^-0.5 - 1); 2 → 2.
    expectValues(apply({ type: 'celu', alpha: 2 }, [-1, 2]), [2 * (Math.exp(-0.5) - 1), 2]);
  });
  it('elu with alpha 0.5', () => expectValues(apply({ type: 'elu', alpha: 0.5 }, [-1, 3]), [0.5 * (Math.exp(-1) - 1), 3]));
  it('tanh_shrink = x - tanh x', () => expectValues(apply('tanh_shrink', [1, -2]), [1 - Math.tanh(1), -2 + Math.tanh(2)]));
  it('gelu exact at ±1 is ±Φ(±1)', () => {
    // Φ(1) = 0.8413447460685429 (normal table); gelu(-1) = -Φ(-1) = -(1 - Φ(1)) = -0.15865525393145707.
    expectValues(apply('gelu', [1, -1, 0]), [0.8413447460685429, -0.15865525393145707, 0], 14);
  });
});

describe('numerical stability for large |x|', () => {
  it('stays finite and exact in the tails', () => {
    expectValues(apply('sigmoid', [-1000, 1000]), [0, 1]);
    expectValues(apply('softplus', [-1000, 1000, 40]), [0, 1000, 40]);
    expectValues(apply('log_sigmoid', [-1000, 1000]), [-1000, 0]);
    expectValues(apply('silu', [-1000, 1000]), [0, 1000]);
    expectValues(apply('mish', [-1000, 1000]), [0, 1000]);
    expectValues(apply('gelu', [-40, 40]), [0, 40]);
    expectValues(apply({ type: 'gelu', approximate: true }, [-40, 40]), [0, 40]);
    expectValues(apply('softmax', [1000, 0, -1000]), [1, 0, 0]);
    expectValues(apply('log_softmax', [1000, 0, -1000]), [0, -1000, -2000]);
    expectValues(apply('log_softmax', [-1000, -1000]), [-Math.LN2, -Math.LN2]);
    expectValues(apply('sparsemax', [1e6, 1e6 + 0.5]), [0.25, 0.75], 9);
    for (const name of ['sigmoid', 'softplus', 'log_sigmoid', 'silu', 'mish', 'gelu', 'selu', 'elu', 'celu', 'softsign', 'tanh']) {
      for (const v of apply(name, [-1e308, -1000, 1000, 1e308])) expect(Number.isNaN(v)).toBe(false);
    }
  });
  it('log_sigmoid keeps relative precision where sigmoid rounds to 1', () => {
    // log σ(40) = -log(1 + e^-40) ≈ -e^-40 = -4.248354255291589e-18; log(σ(40)) would give exactly 0.
    expect(apply('log_sigmoid', [40])[0]! / -Math.exp(-40)).toBeCloseTo(1, 12);
  });
});

describe('erf / erfc (the exact GELU rests on them)', () => {
  it('match tabulated values to ~1e-15 relative', () => {
    // Abramowitz & Stegun table 7.1 values.
    const table: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
    ];
    for (const [x, v] of table) {
      expect(Math.abs(erf(x) - v) / v).toBeLessThan(1e-15);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(Math.abs(erfc(3) - 2.209049699858544e-5) / 2.209049699858544e-5).toBeLessThan(1e-13);
    expect(Math.abs(erfc(5) - 1.5374597944280349e-12) / 1.5374597944280349e-12).toBeLessThan(1e-13);
    expect(erf(0)).toBe(0);
  });
  it('is continuous where it switches from the series to the continued fraction (2.5)', () => {
    // Across 2e-12 erfc falls by 2e-12·(2/√π)·e^-6.25 (its derivative); a jump between the two methods would show
    // on top of that. Both sides carry ~1e-16 absolute error, i.e. ~3e-13 relative to erfc(2.5) ≈ 4.07e-4.
    const below = erfc(2.5 - 1e-12);
    const above = erfc(2.5 + 1e-12);
    const expectedDrop = 2e-12 * (2 / Math.sqrt(Math.PI)) * Math.exp(-6.25);
    expect(Math.abs(below - above - expectedDrop) / above).toBeLessThan(1e-12);
  });
});
