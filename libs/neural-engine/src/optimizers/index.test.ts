import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { getOptimizer, optimizerRegistry, optimizerSchema } from './index.js';
import type { OptimizerConfig } from './optimizer.js';

const names = ['sgd', 'rmsprop', 'adam', 'adamw', 'adagrad', 'adadelta', 'adamax', 'nadam', 'ftrl', 'lion', 'lamb', 'adafactor'];

// Keras 3 defaults of each optimizer's own arguments (from keras/src/optimizers/*.py).
const kerasDefaults: Record<string, Record<string, unknown>> = {
  sgd: { type: 'SGD', learningRate: 0.01, momentum: 0, nesterov: false },
  rmsprop: { type: 'RMSprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
  adam: { type: 'Adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false },
  adamw: { type: 'AdamW', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0.004 },
  adagrad: { type: 'Adagrad', learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
  adadelta: { type: 'Adadelta', learningRate: 0.001, rho: 0.95, epsilon: 1e-7 },
  adamax: { type: 'Adamax', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  nadam: { type: 'Nadam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  ftrl: {
    type: 'Ftrl',
    learningRate: 0.001,
    learningRatePower: -0.5,
    initialAccumulatorValue: 0.1,
    l1RegularizationStrength: 0,
    l2RegularizationStrength: 0,
    l2ShrinkageRegularizationStrength: 0,
    beta: 0,
  },
  lion: { type: 'Lion', learningRate: 0.001, beta1: 0.9, beta2: 0.99 },
  lamb: { type: 'Lamb', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  adafactor: { type: 'Adafactor', learningRate: 0.001, beta2Decay: -0.8, epsilon1: 1e-30, epsilon2: 1e-3, clipThreshold: 1, relativeStep: true },
};

describe('optimizer registry and factory', () => {
  it('knows the twelve Keras optimizers', () => {
    expect(optimizerRegistry.names()).toEqual([...names].sort());
  });

  it.each(names)('%s: any spelling, Keras defaults, getConfig round trip', (name) => {
    const className = kerasDefaults[name]!.type as string;
    for (const spelling of [name, name.toUpperCase(), className]) expect(getOptimizer(spelling).name).toBe(name);
    const opt = getOptimizer(name);
    expect(opt.getConfig()).toEqual(kerasDefaults[name]);
    expect(opt.learningRate).toBe(kerasDefaults[name]!.learningRate);
    const withOptions = getOptimizer({ type: className, learningRate: { type: 'InverseTimeDecay', initialLearningRate: 0.1, decaySteps: 5, decayRate: 1 }, clipnorm: 2, useEma: true });
    const again = getOptimizer(withOptions.getConfig());
    expect(again.getConfig()).toEqual(withOptions.getConfig());
    expect(again.getConfig()).toMatchObject({ clipnorm: 2, useEma: true, emaMomentum: 0.99, emaOverwriteFrequency: null });
  });

  it('accepts Keras null for unset base arguments and a schedule object as learningRate', () => {
    const opt = getOptimizer({ type: 'Adam', learningRate: { type: 'CosineDecay', initialLearningRate: 0.01, decaySteps: 100 }, weightDecay: null, clipnorm: null });
    expect(opt.learningRate).toBeCloseTo(0.01, 12);
    expect(optimizerSchema.parse('RMSprop')).toBe('RMSprop');
  });
});

describe('bad optimizer configs', () => {
  const message = (config: unknown): string => {
    try {
      getOptimizer(config as OptimizerConfig);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('negative learning rate', () => {
    expect(message({ type: 'Adam', learningRate: -0.1 })).toMatch(/^learningRate: .*>=0 \(received -0.1\)$/);
  });

  it('two clip options', () => {
    expect(message({ type: 'SGD', clipnorm: 1, clipvalue: 0.5 })).toBe(
      'clipvalue: only one of clipnorm, clipvalue and globalClipnorm can be set, but clipnorm and clipvalue are (received 0.5)',
    );
  });

  it('unknown name, type and property', () => {
    expect(message('adamm')).toMatch(/^\(root\): unknown optimizer "adamm"; expected one of adadelta, adafactor, .* \(received "adamm"\)$/);
    expect(message({ type: 'Adamm' })).toMatch(/^type: unknown optimizer type "Adamm"; expected one of SGD, Adam, .* \(received "Adamm"\)$/);
    expect(message({ type: 'Adam', beta_1: 0.8 })).toMatch(/Unrecognized key: "beta_1"/);
    expect(message({ learningRate: 0.1 })).toMatch(/^type: missing "type"/);
    expect(message(3)).toBe('(root): expected an optimizer name (e.g. "adam") or an object {type: "Adam", ...} (received 3)');
  });

  it('out-of-range arguments name their path', () => {
    expect(message({ type: 'SGD', momentum: 1.5 })).toMatch(/^momentum: .* \(received 1.5\)$/);
    expect(message({ type: 'Lion', beta1: 0 })).toMatch(/^beta1: .* \(received 0\)$/);
    expect(message({ type: 'Ftrl', learningRatePower: 0.5 })).toMatch(/^learningRatePower: .* \(received 0.5\)$/);
    expect(message({ type: 'Adam', gradientAccumulationSteps: 1 })).toMatch(/^gradientAccumulationSteps: .* \(received 1\)$/);
    expect(message({ type: 'Adam', emaOverwriteFrequency: 0.5 })).toMatch(/^emaOverwriteFrequency: .* \(received 0.5\)$/);
    expect(message({ type: 'AdamW', weightDecay: null })).toMatch(/^weightDecay: .* \(received null\)$/);
  });

  it('errors inside a schedule and inside an enclosing config carry the full path', () => {
    expect(message({ type: 'Adam', learningRate: { type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: -1, decayRate: 0.5 } })).toMatch(
      /^learningRate\.decaySteps: .* \(received -1\)$/,
    );
    expect(message({ type: 'Adam', learningRate: 'fast' })).toMatch(/^learningRate: expected a non-negative number or a learning-rate schedule/);
    const compile = z.object({ optimizer: optimizerSchema }).strict();
    expect(() => parseConfig(compile, { optimizer: { type: 'Nadam', epsilon: -1 } })).toThrow(/^optimizer\.epsilon: .* \(received -1\)$/);
  });
});
