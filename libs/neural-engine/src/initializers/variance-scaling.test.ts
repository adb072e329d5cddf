import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { type Shape, shapeSize } from '../tensor.js';
import { computeFans } from './initializer.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import { sampleMoments } from '../testing/sample-moments.js';
import { type FanMode, type ScalingDistribution, VarianceScaling } from './variance-scaling.js';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform } from './variance-scaling-presets.js';

/** Allowed deviation in standard errors. */
const K = 5;
const TRUNCATION = 0.87962566103423978;
/** A conv-like kernel of 180 000 values: fanIn = 3·3·100 = 900, fanOut = 3·3·200 = 1800. */
const CONV: Shape = [3, 3, 100, 200];

function fanOf(shape: Shape, mode: FanMode): number {
  const { fanIn, fanOut } = computeFans(shape);
  return Math.max(1, mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2);
}

describe('VarianceScaling', () => {
  const modes: FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
  const distributions: ScalingDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];
  for (const mode of modes) {
    for (const distribution of distributions) {
      it(`${mode} / ${distribution}: variance scale / fan, with the distribution's bounds`, () => {
        const scale = 1.7;
        const init = new VarianceScaling({ scale, mode, distribution, seed: 5 });
        const values = init.init(CONV, new Rng(0));
        expect(values).toHaveLength(shapeSize(CONV));
        const variance = scale / fanOf(CONV, mode);
        const m = sampleMoments(values);
        expect(Math.abs(m.mean)).toBeLessThan(K * m.meanError);
        // Every distribution has the target variance: the truncated one thanks to Keras's 0.8796 correction.
        expect(Math.abs(m.variance - variance)).toBeLessThan(K * m.varianceError);
        if (distribution === 'uniform') {
          const limit = Math.sqrt((3 * scale) / fanOf(CONV, mode));
          expect(m.min).toBeGreaterThanOrEqual(-limit);
          expect(m.max).toBeLessThan(limit);
          expect(m.max).toBeGreaterThan(0.999 * limit);
        } else if (distribution === 'truncated_normal') {
          const bound = (2 * Math.sqrt(variance)) / TRUNCATION;
          expect(Math.max(-m.min, m.max)).toBeLessThanOrEqual(bound);
          expect(Math.max(-m.min, m.max)).toBeGreaterThan(0.99 * bound);
        } else {
          // Untruncated: about 4.55% of samples lie beyond 2 stddev.
          const beyond = values.filter((v) => Math.abs(v) > 2 * Math.sqrt(variance)).length / values.length;
          expect(beyond).toBeGreaterThan(0.04);
          expect(beyond).toBeLessThan(0.051);
        }
      });
    }
  }

  it('uses fan 1 when a fan is 0 (Keras max(1, fan))', () => {
    expect(new VarianceScaling({ scale: 3 }).variance([0, 5])).toBe(3);
  });

  it('defaults to scale 1, fan_in, truncated_normal; accepts normal as truncated_normal and any spelling', () => {
    expect(new VarianceScaling().getConfig()).toEqual({ type: 'VarianceScaling', scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null });
    const aliased = new VarianceScaling({ mode: 'fanAvg', distribution: 'normal', seed: 3 });
    expect(aliased.mode).toBe('fan_avg');
    expect(aliased.distribution).toBe('truncated_normal');
    expect(new VarianceScaling({ distribution: 'UntruncatedNormal' }).distribution).toBe('untruncated_normal');
  });
});

describe('presets are VarianceScaling exactly as in Keras 3', () => {
  const presets: Array<[string, (seed: number) => VarianceScaling, number, FanMode, ScalingDistribution]> = [
    ['GlorotNormal', (seed) => new GlorotNormal({ seed }), 1, 'fan_avg', 'truncated_normal'],
    ['GlorotUniform', (seed) => new GlorotUniform({ seed }), 1, 'fan_avg', 'uniform'],
    ['HeNormal', (seed) => new HeNormal({ seed }), 2, 'fan_in', 'truncated_normal'],
    ['HeUniform', (seed) => new HeUniform({ seed }), 2, 'fan_in', 'uniform'],
    ['LecunNormal', (seed) => new LecunNormal({ seed }), 1, 'fan_in', 'truncated_normal'],
    ['LecunUniform', (seed) => new LecunUniform({ seed }), 1, 'fan_in', 'uniform'],
  ];
  for (const [name, make, scale, mode, distribution] of presets) {
    it(`${name} = VarianceScaling(scale=${scale}, mode=${mode}, distribution=${distribution})`, () => {
      const preset = make(8);
      expect(preset.name).toBe(name);
      expect([preset.scale, preset.mode, preset.distribution]).toEqual([scale, mode, distribution]);
      const reference = new VarianceScaling({ scale, mode, distribution, seed: 8 });
      expect(Array.from(preset.init([30, 20], new Rng(0)))).toEqual(Array.from(reference.init([30, 20], new Rng(0))));
      expect(preset.getConfig()).toEqual({ type: name, seed: 8 });
    });
  }
});

describe('against TensorFlow.js initializers (same distribution parameters, different RNG)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  /** Sample moments of a TF.js initializer over `shape`. */
  function tfMoments(init: ReturnType<typeof tf.initializers.glorotUniform>, shape: number[]) {
    const t = init.apply(shape);
    const values = Float64Array.from(t.dataSync());
    t.dispose();
    return sampleMoments(values);
  }

  const shape = [400, 300];
  const uniformCases: Array<[string, VarianceScaling, ReturnType<typeof tf.initializers.glorotUniform>]> = [
    ['glorotUniform', new GlorotUniform({ seed: 1 }), tf.initializers.glorotUniform({ seed: 1 })],
    ['heUniform', new HeUniform({ seed: 1 }), tf.initializers.heUniform({ seed: 1 })],
    ['lecunUniform', new LecunUniform({ seed: 1 }), tf.initializers.leCunUniform({ seed: 1 })],
  ];
  for (const [name, ours, theirs] of uniformCases) {
    it(`${name}: same limit and variance as TF.js`, () => {
      const a = sampleMoments(ours.init(shape, new Rng(0)));
      const b = tfMoments(theirs, shape);
      // Both spread over the same [-limit, limit]: extremes agree to well under 0.1% of the limit.
      expect(Math.abs(a.max - b.max)).toBeLessThan(1e-3 * b.max);
      expect(Math.abs(a.min - b.min)).toBeLessThan(1e-3 * b.max);
      expect(Math.abs(a.variance - b.variance)).toBeLessThan(K * Math.hypot(a.varianceError, b.varianceError));
    });
  }

  const normalCases: Array<[string, VarianceScaling, ReturnType<typeof tf.initializers.glorotUniform>]> = [
    ['glorotNormal', new GlorotNormal({ seed: 1 }), tf.initializers.glorotNormal({ seed: 1 })],
    ['heNormal', new HeNormal({ seed: 1 }), tf.initializers.heNormal({ seed: 1 })],
    ['lecunNormal', new LecunNormal({ seed: 1 }), tf.initializers.leCunNormal({ seed: 1 })],
  ];
  for (const [name, ours, theirs] of normalCases) {
    it(`${name}: TF.js truncates at the uncorrected stddev, Keras 3 divides it by 0.8796 first`, () => {
      const a = sampleMoments(ours.init(shape, new Rng(0)));
      const b = tfMoments(theirs, shape);
      // TF.js draws truncatedNormal(0, sqrt(scale/fan)); Keras 3 uses stddev sqrt(scale/fan) / 0.8796, so ours has
      // 1/0.8796² times TF.js's variance and bounds 1/0.8796 times wider.
      const ratio = 1 / TRUNCATION ** 2;
      expect(Math.abs(a.variance - ratio * b.variance)).toBeLessThan(K * Math.hypot(a.varianceError, ratio * b.varianceError));
      expect(Math.abs(a.max * TRUNCATION - b.max)).toBeLessThan(0.01 * b.max);
    });
  }

  it('randomNormal, randomUniform and truncatedNormal match TF.js moments', () => {
    const pairs: Array<[Float64Array, ReturnType<typeof tf.initializers.glorotUniform>]> = [];
    pairs.push([new RandomNormal({ mean: 1, stddev: 0.3 }).init(shape, new Rng(1)), tf.initializers.randomNormal({ mean: 1, stddev: 0.3, seed: 1 })]);
    pairs.push([new RandomUniform({ minval: -1, maxval: 2 }).init(shape, new Rng(1)), tf.initializers.randomUniform({ minval: -1, maxval: 2, seed: 1 })]);
    pairs.push([new TruncatedNormal({ mean: 0, stddev: 0.3 }).init(shape, new Rng(1)), tf.initializers.truncatedNormal({ mean: 0, stddev: 0.3, seed: 1 })]);
    for (const [values, theirs] of pairs) {
      const a = sampleMoments(values);
      const b = tfMoments(theirs, shape);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(K * Math.hypot(a.meanError, b.meanError));
      expect(Math.abs(a.variance - b.variance)).toBeLessThan(K * Math.hypot(a.varianceError, b.varianceError));
    }
  });
});
