import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { float64Backend } from '../testing/gradient-check.js';
import { type LossConfig, getLoss, lossDefinitions, lossRegistry, lossSchema } from './index.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import { oneHot, probabilities } from '../testing/loss-test-data.js';

/*
 * Identifiers, configs and their errors: every Keras name and alias resolves, getConfig round-trips through getLoss,
 * and bad configs throw one ConfigError naming the path and the received value.
 */

const b = float64Backend;
const classOf = (config: LossConfig) => (getLoss(config, b) as LossFunctionWrapper).className;

describe('identifiers', () => {
  test.each([
    ['binary_crossentropy', 'BinaryCrossentropy'],
    ['bce', 'BinaryCrossentropy'],
    ['categorical_crossentropy', 'CategoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
    ['mean_squared_error', 'MeanSquaredError'],
    ['mse', 'MeanSquaredError'],
    ['mean_absolute_error', 'MeanAbsoluteError'],
    ['mae', 'MeanAbsoluteError'],
    ['mean_absolute_percentage_error', 'MeanAbsolutePercentageError'],
    ['mape', 'MeanAbsolutePercentageError'],
    ['mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError'],
    ['msle', 'MeanSquaredLogarithmicError'],
    ['kl_divergence', 'KLDivergence'],
    ['kld', 'KLDivergence'],
    ['kullback_leibler_divergence', 'KLDivergence'],
    ['poisson', 'Poisson'],
    ['cosine_similarity', 'CosineSimilarity'],
    ['huber', 'Huber'],
    ['huber_loss', 'Huber'],
    ['log_cosh', 'LogCosh'],
    ['logcosh', 'LogCosh'],
    ['hinge', 'Hinge'],
    ['squared_hinge', 'SquaredHinge'],
    ['categorical_hinge', 'CategoricalHinge'],
    ['binary_focal_crossentropy', 'BinaryFocalCrossentropy'],
    ['categorical_focal_crossentropy', 'CategoricalFocalCrossentropy'],
    ['dice', 'Dice'],
    ['tversky', 'Tversky'],
  ])('%s → %s', (name, className) => {
    expect(classOf(name)).toBe(className);
    expect(lossRegistry.has(name)).toBe(true);
  });

  test('names match in any spelling, including the class name', () => {
    for (const name of ['CategoricalCrossentropy', 'categoricalCrossentropy', 'MSE', 'Huber_Loss', 'LogCosh', 'KLDivergence', 'kl-divergence']) {
      expect(() => getLoss(name, b)).not.toThrow();
    }
    expect(classOf('categoricalCrossentropy')).toBe('CategoricalCrossentropy');
  });

  test('a string config gives the Keras class defaults', () => {
    expect(getLoss('huber', b).getConfig()).toEqual({ type: 'Huber', name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 1 });
    expect(getLoss('categorical_crossentropy', b).getConfig()).toEqual({
      type: 'CategoricalCrossentropy', name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', fromLogits: false, labelSmoothing: 0, axis: -1,
    });
    expect(getLoss('sparse_categorical_crossentropy', b).getConfig()).toMatchObject({ fromLogits: false, ignoreClass: null, axis: -1 });
    expect(getLoss('binary_focal_crossentropy', b).getConfig()).toMatchObject({ applyClassBalancing: false, alpha: 0.25, gamma: 2 });
    expect(getLoss('tversky', b).getConfig()).toMatchObject({ alpha: 0.5, beta: 0.5, axis: null });
    expect(getLoss('mse', b).name).toBe('mean_squared_error');
  });
});

describe('getConfig round trip', () => {
  const nonDefault: Record<string, Record<string, unknown>> = {
    BinaryCrossentropy: { fromLogits: true, labelSmoothing: 0.1, axis: 1 },
    BinaryFocalCrossentropy: { applyClassBalancing: true, alpha: 0.4, gamma: 3, fromLogits: true, labelSmoothing: 0.2, axis: 0 },
    CategoricalCrossentropy: { fromLogits: true, labelSmoothing: 0.1 },
    CategoricalFocalCrossentropy: { alpha: [0.1, 0.2, 0.7], gamma: 1, fromLogits: true },
    SparseCategoricalCrossentropy: { fromLogits: true, ignoreClass: -1 },
    CosineSimilarity: { axis: 0 },
    Huber: { delta: 0.5 },
    Dice: { axis: [1] },
    Tversky: { alpha: 0.7, beta: 0.3, axis: 1 },
  };
  test.each(lossDefinitions.map((d) => d.className))('%s', (type) => {
    const config = { type, name: 'my_loss', reduction: 'sum', ...(nonDefault[type] ?? {}) } as LossConfig;
    const loss = getLoss(config, b);
    const saved = loss.getConfig();
    expect(saved).toMatchObject(config as object);
    const again = getLoss(JSON.parse(JSON.stringify(saved)) as LossConfig, b);
    expect(again.getConfig()).toEqual(saved);
    expect(again.name).toBe('my_loss');
    expect(again.reduction).toBe('sum');
    // Same configuration, same values.
    const sparse = type === 'SparseCategoricalCrossentropy';
    const yTrue = sparse ? b.fromValues([2], [0, 2]) : b.fromValues([2, 3], oneHot(2, 3));
    const yPred = b.fromValues([2, 3], probabilities(6));
    expect(again.call(yTrue, yPred)).toBe(loss.call(yTrue, yPred));
    // getConfig hands out a copy: changing it does not change the loss.
    if (type === 'CategoricalFocalCrossentropy') {
      ((saved as unknown as { alpha: number[] }).alpha)[0] = 99;
      expect(loss.getConfig()).toMatchObject({ alpha: [0.1, 0.2, 0.7] });
    }
  });
});

describe('bad configs throw ConfigError naming the path and the received value', () => {
  function configError(config: unknown): ConfigError {
    try {
      getLoss(config as LossConfig, b);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error(`no error for ${JSON.stringify(config)}`);
  }

  test('labelSmoothing out of [0, 1]', () => {
    const e = configError({ type: 'CategoricalCrossentropy', labelSmoothing: 2 });
    expect(e.message).toMatch(/^labelSmoothing: .*<=1.*\(received 2\)$/);
    expect(e.issues[0]).toMatchObject({ path: 'labelSmoothing', received: 2 });
  });

  test('unknown name', () => {
    const e = configError('mean_cubed_error');
    expect(e.message).toContain('unknown loss "mean_cubed_error"');
    expect(e.message).toContain('mean_squared_error');
    expect(e.issues[0]).toMatchObject({ received: 'mean_cubed_error' });
  });

  test('unknown type', () => {
    const e = configError({ type: 'MeanCubedError' });
    expect(e.message).toMatch(/^type: unknown loss type "MeanCubedError"; expected one of .*MeanSquaredError/);
    expect(e.issues[0]).toMatchObject({ path: 'type', received: 'MeanCubedError' });
  });

  test('unknown property (strict objects), including an argument of another loss', () => {
    const e = configError({ type: 'MeanSquaredError', fromLogits: true });
    expect(e.message).toContain('Unrecognized key: "fromLogits"');
    expect(e.message).toContain('"fromLogits":true');
    expect(configError({ type: 'Huber', delta: 1, deltaa: 2 }).message).toContain('"deltaa"');
  });

  test('wrong argument types and values, each at its path', () => {
    expect(configError({ type: 'Huber', reduction: 'avg' }).message).toMatch(/^reduction: .*\(received "avg"\)$/);
    expect(configError({ type: 'Huber', delta: 0 }).message).toMatch(/^delta: .*\(received 0\)$/);
    expect(configError({ type: 'BinaryCrossentropy', fromLogits: 'yes' }).message).toMatch(/^fromLogits: .*\(received "yes"\)$/);
    expect(configError({ type: 'CategoricalCrossentropy', axis: 1.5 }).message).toMatch(/^axis: .*\(received 1.5\)$/);
    expect(configError({ type: 'SparseCategoricalCrossentropy', ignoreClass: 'void' }).message).toMatch(/^ignoreClass: /);
    expect(configError({ type: 'BinaryFocalCrossentropy', gamma: -1 }).message).toMatch(/^gamma: .*\(received -1\)$/);
    expect(configError({ type: 'Dice', axis: [] }).message).toMatch(/^axis: /);
    expect(configError(42).message).toMatch(/expected a loss name .* or an object/);
  });

  test('embedded in a larger schema, the message still names the inner path and value', () => {
    const compile = z.object({ loss: lossSchema });
    expect(() => parseConfig(compile, { loss: { type: 'Huber', reduction: 'avg' } })).toThrow(/loss: reduction: .*received "avg"/);
    expect(() => parseConfig(compile, { loss: 'nope' })).toThrow(/loss: unknown loss "nope"/);
    expect(parseConfig(compile, { loss: { type: 'Huber', delta: 2 } })).toEqual({ loss: { type: 'Huber', delta: 2 } });
  });
});
