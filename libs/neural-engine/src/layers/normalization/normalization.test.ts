import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Shape } from '../../tensor.js';
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { createLayer } from '../index.js';
import { Normalization, type NormalizationConfig } from './normalization.js';

/*
 * Normalization (Keras 3 semantics) against hand computations: adapt statistics, given statistics, invert, the
 * standard-deviation floor, the weight layout, and its errors. TF.js has no Normalization layer.
 */

function built(config: Omit<NormalizationConfig, 'type'>, inputShape: Shape): Normalization {
  const layer = new Normalization({ name: 'norm', ...config });
  layer.build(inputShape, { backend, rng: new Rng(1) });
  return layer;
}

const run = (layer: Normalization, shape: Shape, xs: number[]): number[] => Array.from(layer.call(backend.fromValues(shape, xs), false).data);
const close = (xs: number[]): unknown[] => xs.map((v) => expect.closeTo(v, 10));

describe('Normalization', () => {
  it('adapt computes per-feature mean and biased variance; invert maps back (the Keras documentation example)', () => {
    const data = { shape: [4, 3], data: [0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6] };
    const layer = new Normalization({ invert: true });
    layer.adapt(data); // before build: kept until the weights exist
    layer.build([3], { backend, rng: new Rng(1) });
    // Columns {0, 2}, {7, 9}, {4, 6}: means 1, 8, 5 and biased variances 1, 1, 1.
    expect(Array.from(layer.variables[0]!.value.data)).toEqual([1, 8, 5]);
    expect(Array.from(layer.variables[1]!.value.data)).toEqual([1, 1, 1]);
    expect(run(layer, [1, 3], [1, 2, 3])).toEqual([2, 10, 8]);
  });

  it('given mean and variance normalize directly (mean 3, variance 2)', () => {
    const layer = built({ mean: 3, variance: 2 }, [1]);
    expect(layer.variables).toEqual([]);
    expect(run(layer, [3, 1], [1, 2, 3])).toEqual(close([-2 / Math.SQRT2, -1 / Math.SQRT2, 0]));
  });

  it('adapt statistics match a hand computation for axis -1, axis [1, 2] and axis null', () => {
    const rng = new Rng(5);
    const xs = Array.from({ length: 5 * 2 * 3 }, () => rng.normal(2, 3)); // [5][2][3]
    const at = (b: number, i: number, j: number): number => xs[b * 6 + i * 3 + j]!;
    const meanOf = (v: number[]): number => v.reduce((a, c) => a + c, 0) / v.length;
    const varOf = (v: number[]): number => meanOf(v.map((u) => (u - meanOf(v)) ** 2));
    const data = { shape: [5, 2, 3], data: xs };
    const b5 = [0, 1, 2, 3, 4];

    const last = built({}, [2, 3]);
    last.adapt(data);
    const byChannel = [0, 1, 2].map((j) => b5.flatMap((b) => [at(b, 0, j), at(b, 1, j)]));
    expect(Array.from(last.variables[0]!.value.data)).toEqual(close(byChannel.map(meanOf)));
    expect(Array.from(last.variables[1]!.value.data)).toEqual(close(byChannel.map(varOf)));
    expect(last.variables[2]!.value.data[0]).toBe(10); // values behind each statistic

    const both = built({ axis: [1, 2] }, [2, 3]);
    both.adapt(data);
    const byPosition = [0, 1].flatMap((i) => [0, 1, 2].map((j) => b5.map((b) => at(b, i, j))));
    expect(both.variables[0]!.value.shape).toEqual([2, 3]);
    expect(Array.from(both.variables[0]!.value.data)).toEqual(close(byPosition.map(meanOf)));
    expect(Array.from(both.variables[1]!.value.data)).toEqual(close(byPosition.map(varOf)));

    const all = built({ axis: null }, [2, 3]);
    all.adapt(data);
    expect(all.variables[0]!.value.shape).toEqual([]);
    expect(all.variables[0]!.value.data[0]).toBeCloseTo(meanOf(xs), 10);
    expect(all.variables[1]!.value.data[0]).toBeCloseTo(varOf(xs), 10);
    const y = run(all, [5, 2, 3], xs);
    y.forEach((v, i) => expect(v).toBeCloseTo((xs[i]! - meanOf(xs)) / Math.sqrt(varOf(xs)), 10));
  });

  it('adaptFromStatistics sets mean, variance and count directly, before or after build', () => {
    const after = built({}, [2]);
    after.adaptFromStatistics({ mean: [1, -1], variance: [4, 0.25], count: 150 });
    expect(run(after, [1, 2], [3, 0])).toEqual([1, 2]);
    expect(after.variables.map((v) => Array.from(v.value.data))).toEqual([[1, -1], [4, 0.25], [150]]);

    const before = new Normalization({ name: 'norm' });
    before.adaptFromStatistics({ mean: 2, variance: 9 });
    before.build([3], { backend, rng: new Rng(1) });
    expect(run(before, [1, 3], [5, 2, -1])).toEqual([1, 0, -1]);
    expect(before.variables[2]!.value.data[0]).toBe(1); // count defaults to 1
  });

  it('floors the standard deviation at 1e-7 as Keras does (a constant feature does not divide by zero)', () => {
    const layer = built({ mean: [1, 0], variance: [0, 1] }, [2]);
    expect(run(layer, [1, 2], [1.5, 2])).toEqual(close([0.5 / 1e-7, 2]));
  });

  it('has Keras weights mean, variance, count (all non-trainable) only when adaptable', () => {
    const layer = built({ axis: -1 }, [3, 4]);
    expect(layer.variables.map((v) => [v.name, v.value.shape, v.trainable])).toEqual([
      ['norm/mean', [4], false],
      ['norm/variance', [4], false],
      ['norm/count', [], false],
    ]);
    expect(layer.trainableVariables).toEqual([]);
    expect(built({ mean: [1, 2, 3, 4], variance: [1, 1, 1, 1] }, [3, 4]).variables).toEqual([]);
  });

  it('uses statistics written into its weights (a restored or imported model) without adapt', () => {
    const layer = built({}, [2]);
    layer.variables[0]!.value.data.set([10, 20]);
    layer.variables[1]!.value.data.set([4, 16]);
    expect(run(layer, [1, 2], [12, 16])).toEqual([1, -1]);
  });

  it('refuses to run un-adapted, to adapt fixed statistics, and mismatched data', () => {
    expect(() => run(built({}, [2]), [1, 2], [1, 2])).toThrow(/layer "norm" \(Normalization\) has no mean and variance: call adapt/);
    expect(() => built({ mean: 0, variance: 1 }, [2]).adapt({ shape: [1, 2], data: [1, 2] })).toThrow(/fixed by its config/);
    const layer = built({}, [2]);
    expect(() => layer.adapt({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] })).toThrow(/kept axes are \(3,\).*\(2,\)/);
    expect(() => layer.adapt({ shape: [2, 2], data: [1, 2, 3] })).toThrow(/3 values/);
    expect(() => layer.adaptFromStatistics({ mean: [1, 2, 3], variance: [1, 1, 1] })).toThrow(/expected 2 means/);
    expect(() => layer.adaptFromStatistics({ mean: [1, 2], variance: [1, -1] })).toThrow(/>= 0/);
    const early = new Normalization({ name: 'norm' });
    early.adaptFromStatistics({ mean: [1, 2, 3], variance: [1, 1, 1] });
    expect(() => early.build([2], { backend, rng: new Rng(1) })).toThrow(/adapted to 3 statistics/);
  });

  it('validates its config with ConfigErrors naming the path and value', () => {
    expect(() => createLayer({ type: 'Normalization', mean: [1, 2] })).toThrow(/variance: mean and variance must be given together/);
    expect(() => createLayer({ type: 'Normalization', mean: [1, 2], variance: [1] })).toThrow(/variance: must have the shape of mean \[2\]/);
    expect(() => createLayer({ type: 'Normalization', axis: null, mean: [1], variance: [1] })).toThrow(/rank 1 exceeds the number of axes \(0\)/);
    expect(() => createLayer({ type: 'Normalization', mean: [[1], [1, 2]], variance: [[1], [1, 2]] })).toThrow(ConfigError);
    expect(() => createLayer({ type: 'Normalization', mean: 0, variance: -1 })).toThrow(/variance: must be >= 0/);
    expect(() => createLayer({ type: 'Normalization', epsilon: 1 })).toThrow(/epsilon/);
    expect(() => built({ mean: [1, 2, 3], variance: [1, 1, 1] }, [2])).toThrow(/mean: shape \[3\] does not broadcast to \[2\]/);
  });

  it('getConfig round-trips (Keras keys, null statistics when adapted)', () => {
    const layer = built({ axis: [1, 2], invert: true }, [2, 2]);
    expect(layer.getConfig()).toEqual({ type: 'Normalization', name: 'norm', axis: [1, 2], invert: true, mean: null, variance: null });
    const fixed = built({ mean: [1, 2], variance: [3, 4] }, [2]).getConfig();
    expect(createLayer(fixed).getConfig()).toEqual(fixed);
  });
});
