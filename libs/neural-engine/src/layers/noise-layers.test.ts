import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Rng } from '../rng.js';
import type { Shape, Tensor } from '../tensor.js';
import { float64Backend as backend } from '../testing/gradient-check.js';
import { ALPHA_P, type Layer, type LayerConfig, createLayer } from './index.js';

/*
 * Statistics of the random layers over 10^5 units. Tolerances are several standard errors wide (stated per test), so
 * with the fixed seeds used here they are deterministic and still catch a wrong rate, scale or variance.
 */

const N = 100_000;

function build(config: LayerConfig, inputShape: Shape, seed = 7): Layer {
  const layer = createLayer({ name: 'noise', ...config });
  layer.build(inputShape, { backend, rng: new Rng(seed) });
  return layer;
}

function filled(shape: Shape, value: number): Tensor {
  const t = backend.zeros(shape);
  backend.fill(t, value);
  return t;
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return s / values.length;
}

function fractionZero(values: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) z++;
  return z / values.length;
}

describe('Dropout', () => {
  it.each([0.5, 0.2, 0.8])('with rate %f zeroes that fraction of 10^5 units and keeps the mean (within 1%%)', (rate) => {
    const layer = build({ type: 'Dropout', rate }, [1000]);
    const y = layer.call(filled([100, 1000], 3), true).data;
    // Standard errors: fraction sqrt(r(1-r)/N) <= 0.0016; mean 3·sqrt(r/(1-r)/N) <= 0.019 (0.6% of 3) at r = 0.8.
    expect(Math.abs(fractionZero(y) - rate)).toBeLessThan(0.01);
    expect(Math.abs(mean(y) - 3) / 3).toBeLessThan(0.01);
    // Survivors are scaled by exactly 1/(1 - rate).
    expect(new Set(Array.from(y)).size).toBe(2);
    expect(Array.from(y).find((v) => v !== 0)).toBeCloseTo(3 / (1 - rate), 12);
  });

  it('is the identity in inference and with rate 0', () => {
    const x = backend.fromValues([2, 3], [1, -2, 0, 4, 5, -6]);
    expect(Array.from(build({ type: 'Dropout', rate: 0.5 }, [3]).call(x, false).data)).toEqual(Array.from(x.data));
    expect(Array.from(build({ type: 'Dropout', rate: 0 }, [3]).call(x, true).data)).toEqual(Array.from(x.data));
  });

  it('broadcasts the mask over noiseShape axes of size 1 (null takes the input size)', () => {
    const layer = build({ type: 'Dropout', rate: 0.5, noiseShape: [null, 1, 4] }, [6, 4]);
    const y = layer.call(filled([50, 6, 4], 1), true).data;
    let patterns = 0;
    for (let b = 0; b < 50; b++) {
      for (let c = 0; c < 4; c++) {
        const column = Array.from({ length: 6 }, (_, h) => y[(b * 6 + h) * 4 + c]!);
        expect(new Set(column).size, `sample ${b}, channel ${c} shares one draw`).toBe(1);
        if (column[0] === 0) patterns++;
      }
    }
    // 200 independent draws of p = 0.5: the dropped count is 100 ± 7 (one standard deviation).
    expect(patterns).toBeGreaterThan(60);
    expect(patterns).toBeLessThan(140);
  });

  it('shares one mask across the batch when noiseShape[0] is 1', () => {
    const layer = build({ type: 'Dropout', rate: 0.5, noiseShape: [1, null] }, [40]);
    const y = layer.call(filled([5, 40], 1), true).data;
    const first = Array.from(y.slice(0, 40));
    for (let b = 1; b < 5; b++) expect(Array.from(y.slice(b * 40, b * 40 + 40))).toEqual(first);
    expect(first.some((v) => v === 0) && first.some((v) => v !== 0)).toBe(true);
  });

  it('rejects a fixed noiseShape batch entry that does not broadcast to the batch', () => {
    const layer = build({ type: 'Dropout', rate: 0.5, noiseShape: [2, null] }, [4]);
    expect(layer.call(filled([2, 4], 1), true).shape).toEqual([2, 4]);
    expect(() => layer.call(filled([3, 4], 1), true)).toThrow(ConfigError);
    expect(() => layer.call(filled([3, 4], 1), true)).toThrow(/noiseShape \[2,null\] fixes the batch axis to 2/);
  });

  it('draws the same masks for the same seed and different ones for another seed, whatever the model RNG', () => {
    const x = filled([4, 64], 1);
    const masks = (seed: number, modelSeed: number) => {
      const layer = build({ type: 'Dropout', rate: 0.5, seed }, [64], modelSeed);
      return [Array.from(layer.call(x, true).data), Array.from(layer.call(x, true).data)];
    };
    const [a1, a2] = masks(1, 100);
    const [b1, b2] = masks(1, 200);
    const [c1] = masks(2, 100);
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1); // a fresh mask every step
    expect(c1).not.toEqual(a1);
  });

  it('without a seed draws from the model RNG (same model seed, same mask)', () => {
    const x = filled([4, 64], 1);
    const run = (modelSeed: number) => Array.from(build({ type: 'Dropout', rate: 0.5 }, [64], modelSeed).call(x, true).data);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});

describe('AlphaDropout', () => {
  const standardNormal = (): Tensor => {
    const rng = new Rng(99);
    return backend.fromValues([100, 1000], Array.from({ length: N }, () => rng.normal()));
  };

  it.each([0.1, 0.3, 0.5])('keeps mean 0 and variance 1 of a standard normal input (rate %f; |Δ| < 0.02)', (rate) => {
    const x = standardNormal();
    const y = build({ type: 'AlphaDropout', rate }, [1000]).call(x, true).data;
    // Standard errors at N = 10^5: mean ~0.003, variance ~0.006 (the output is a mixture), so 0.02 is > 3 of them.
    expect(Math.abs(mean(y))).toBeLessThan(0.02);
    expect(Math.abs(variance(y) - 1)).toBeLessThan(0.02);
  });

  it('sets dropped units to a·alpha_p + b and scales kept ones by a', () => {
    const rate = 0.3;
    const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
    const b = -a * ALPHA_P * rate;
    const x = backend.fromValues([1, 2000], Array.from({ length: 2000 }, (_, i) => (i % 7) - 3));
    const y = build({ type: 'AlphaDropout', rate }, [2000]).call(x, true).data;
    let dropped = 0;
    for (let i = 0; i < 2000; i++) {
      const kept = Math.abs(y[i]! - (a * x.data[i]! + b)) < 1e-12;
      const isDropped = Math.abs(y[i]! - (a * ALPHA_P + b)) < 1e-12;
      expect(kept || isDropped).toBe(true);
      if (isDropped && !kept) dropped++;
    }
    expect(Math.abs(dropped / 2000 - rate)).toBeLessThan(0.05); // binomial sd 0.01
  });

  it('is the identity in inference', () => {
    const x = standardNormal();
    expect(build({ type: 'AlphaDropout', rate: 0.3 }, [1000]).call(x, false)).toBe(x);
  });
});

describe('GaussianNoise', () => {
  it('adds N(0, stddev²) noise in training (mean within 0.01, stddev within 1%)', () => {
    const y = build({ type: 'GaussianNoise', stddev: 0.3 }, [1000]).call(filled([100, 1000], 2), true).data;
    // Standard errors: mean 0.3/sqrt(N) ≈ 0.001; stddev 0.3/sqrt(2N) ≈ 0.0007 (0.2%).
    expect(Math.abs(mean(y) - 2)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(variance(y)) - 0.3) / 0.3).toBeLessThan(0.01);
  });

  it('is the identity in inference', () => {
    const x = filled([2, 5], 1.5);
    expect(Array.from(build({ type: 'GaussianNoise', stddev: 0.3 }, [5]).call(x, false).data)).toEqual(Array.from(x.data));
  });
});

describe('GaussianDropout', () => {
  it.each([0.2, 0.5])('multiplies by N(1, rate/(1-rate)) in training (rate %f; mean and variance within 2%%)', (rate) => {
    const y = build({ type: 'GaussianDropout', rate }, [1000]).call(filled([100, 1000], 1), true).data;
    const expectedVariance = rate / (1 - rate);
    // Standard errors: mean sqrt(v/N) <= 0.0032; variance v·sqrt(2/N) = 0.45% of v.
    expect(Math.abs(mean(y) - 1)).toBeLessThan(0.02);
    expect(Math.abs(variance(y) - expectedVariance) / expectedVariance).toBeLessThan(0.02);
  });

  it('is the identity in inference', () => {
    const x = filled([2, 5], -1.5);
    expect(Array.from(build({ type: 'GaussianDropout', rate: 0.4 }, [5]).call(x, false).data)).toEqual(Array.from(x.data));
  });
});
