import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import type { ScheduleConfig } from '../optimizer.js';
import { getSchedule, scheduleSchema } from './index.js';

/** Expects schedule(config) at each step to equal the hand-computed value. */
function expectValues(config: ScheduleConfig, expected: Array<[step: number, value: number]>): void {
  const schedule = getSchedule(config);
  for (const [step, value] of expected) expect(schedule.at(step), `step ${step}`).toBeCloseTo(value, 7);
}

describe('ExponentialDecay', () => {
  it('0.1·0.5^(step/10), floored exponent with staircase', () => {
    // 0.1·0.5^0.5 = 0.0707107; 0.1·0.5^2.5 = 0.0176777
    expectValues({ type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }, [[0, 0.1], [5, 0.0707107], [10, 0.05], [25, 0.0176777]]);
    expectValues({ type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }, [[5, 0.1], [15, 0.05], [25, 0.025]]);
  });
});

describe('PiecewiseConstantDecay', () => {
  it('values[i] while step <= boundaries[i]', () => {
    expectValues({ type: 'PiecewiseConstantDecay', boundaries: [10, 20], values: [1, 0.5, 0.1] }, [[0, 1], [10, 1], [11, 0.5], [20, 0.5], [21, 0.1], [1000, 0.1]]);
  });

  it('rejects mismatched lengths and unsorted boundaries', () => {
    expect(() => getSchedule({ type: 'PiecewiseConstantDecay', boundaries: [10, 20], values: [1, 0.5] })).toThrow(/values: needs one more entry than boundaries \(3\), has 2/);
    expect(() => getSchedule({ type: 'PiecewiseConstantDecay', boundaries: [10, 5], values: [1, 0.5, 0.1] })).toThrow(/boundaries\[1\]: boundaries must be strictly increasing \(received 5\)/);
  });
});

describe('PolynomialDecay', () => {
  it('(0.1 - 1e-4)(1 - step/10)^power + 1e-4, held after decaySteps', () => {
    // step 5: 0.0999·0.5 + 0.0001 = 0.05005; power 2: 0.0999·0.25 + 0.0001 = 0.025075
    expectValues({ type: 'PolynomialDecay', initialLearningRate: 0.1, decaySteps: 10 }, [[0, 0.1], [5, 0.05005], [10, 1e-4], [20, 1e-4]]);
    expectValues({ type: 'PolynomialDecay', initialLearningRate: 0.1, decaySteps: 10, power: 2 }, [[5, 0.025075]]);
  });

  it('cycle stretches decaySteps to the next multiple', () => {
    // step 15: decaySteps 10·ceil(1.5) = 20, p = 0.75: 0.0999·0.25 + 0.0001 = 0.025075; step 0 uses multiplier 1
    expectValues({ type: 'PolynomialDecay', initialLearningRate: 0.1, decaySteps: 10, cycle: true }, [[0, 0.1], [15, 0.025075], [20, 1e-4], [25, 0.0999 * (1 - 25 / 30) + 1e-4]]);
  });
});

describe('InverseTimeDecay', () => {
  it('0.1 / (1 + 0.5·step/10), floored ratio with staircase', () => {
    // step 10: 0.1/1.5 = 0.0666667; step 15: 0.1/1.75 = 0.0571429; staircase step 15: 0.1/1.5
    expectValues({ type: 'InverseTimeDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }, [[0, 0.1], [10, 0.0666667], [15, 0.0571429]]);
    expectValues({ type: 'InverseTimeDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }, [[15, 0.0666667], [20, 0.05]]);
  });
});

describe('CosineDecay', () => {
  it('0.1·((1 - α)·0.5(1 + cos(π·step/10)) + α), held after decaySteps', () => {
    expectValues({ type: 'CosineDecay', initialLearningRate: 0.1, decaySteps: 10 }, [[0, 0.1], [5, 0.05], [10, 0], [20, 0]]);
    // α 0.1, step 5: 0.1·(0.9·0.5 + 0.1) = 0.055; step 10: 0.01; step 2.5: 0.1·(0.9·0.5(1 + cos(π/4)) + 0.1) = 0.0868198
    expectValues({ type: 'CosineDecay', initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1 }, [[5, 0.055], [10, 0.01], [2.5, 0.0868198]]);
  });

  it('linear warmup to warmupTarget, then the decay from it', () => {
    // 0 → 0.1 over 5 steps (step 2: 0.04), then cosine over 10 steps from 0.1 (step 10 = 5 into the decay: 0.05)
    expectValues({ type: 'CosineDecay', initialLearningRate: 0, decaySteps: 10, warmupTarget: 0.1, warmupSteps: 5 }, [[0, 0], [2, 0.04], [5, 0.1], [10, 0.05], [15, 0], [100, 0]]);
  });
});

describe('CosineDecayRestarts', () => {
  it('periods of 10, 20, 40 steps restarting at the initial rate', () => {
    // period 1: [0, 10), period 2: [10, 30) (step 20 is its middle), period 3 starts at 30
    expectValues({ type: 'CosineDecayRestarts', initialLearningRate: 0.1, firstDecaySteps: 10 }, [[0, 0.1], [5, 0.05], [10, 0.1], [20, 0.05], [30, 0.1], [50, 0.05]]);
  });

  it('mMul scales each restart, tMul 1 keeps the period, alpha sets the floor', () => {
    // mMul 0.5: step 10 restarts at 0.05, step 20 is 0.025
    expectValues({ type: 'CosineDecayRestarts', initialLearningRate: 0.1, firstDecaySteps: 10, mMul: 0.5 }, [[10, 0.05], [20, 0.025]]);
    // tMul 1, mMul 0.5: step 15 is the middle of period 2: 0.1·0.5·0.5 = 0.025
    expectValues({ type: 'CosineDecayRestarts', initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1, mMul: 0.5 }, [[15, 0.025], [20, 0.025]]);
    // alpha 0.2, step 5: 0.1·(0.8·0.5 + 0.2) = 0.06
    expectValues({ type: 'CosineDecayRestarts', initialLearningRate: 0.1, firstDecaySteps: 10, alpha: 0.2 }, [[5, 0.06]]);
  });
});

describe('schedule configs', () => {
  const all: ScheduleConfig[] = [
    { type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 },
    { type: 'PiecewiseConstantDecay', boundaries: [10], values: [0.1, 0.01] },
    { type: 'PolynomialDecay', initialLearningRate: 0.1, decaySteps: 10, cycle: true },
    { type: 'InverseTimeDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 },
    { type: 'CosineDecay', initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 0.2, warmupSteps: 3 },
    { type: 'CosineDecayRestarts', initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1.5 },
  ];

  it.each(all.map((c) => [c.type, c] as const))('%s round-trips through getConfig', (_t, config) => {
    const a = getSchedule(config);
    const b = getSchedule(a.getConfig());
    expect(b.getConfig()).toEqual(a.getConfig());
    for (const s of [0, 3, 7, 12, 40]) expect(b.at(s)).toBe(a.at(s));
  });

  it('rejects bad configs with a ConfigError naming the path and the value', () => {
    expect(() => getSchedule({ type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(ConfigError);
    expect(() => getSchedule({ type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/decaySteps: .*\(received 0\)/);
    expect(() => getSchedule({ type: 'CosineDecay', initialLearningRate: 0.1, decaySteps: 10, warmup: 3 })).toThrow(/Unrecognized key: "warmup"/);
    expect(() => getSchedule({ type: 'StepDecay', initialLearningRate: 0.1 })).toThrow(/type: unknown learning-rate schedule type "StepDecay"; expected one of ExponentialDecay, .*\(received "StepDecay"\)/);
    expect(scheduleSchema.safeParse({ type: 'InverseTimeDecay', initialLearningRate: -1, decaySteps: 1, decayRate: 1 }).success).toBe(false);
  });
});
