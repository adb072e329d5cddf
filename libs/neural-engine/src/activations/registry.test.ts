import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { testInputs } from '../testing/gradient-check.js';
import type { ActivationConfig } from './activation.js';
import { activationRegistry, activationSchema, getActivation } from './index.js';
import { testBackend } from '../testing/test-backend.js';

/* Names, config validation and getConfig round trips. */

/** The activations of keras.activations in Keras 3.13 (keras.io/api/layers/activations), aliases aside. */
const KERAS_3_NAMES = [
  'celu', 'elu', 'exponential', 'gelu', 'glu', 'hard_shrink', 'hard_sigmoid', 'hard_silu', 'hard_tanh', 'leaky_relu',
  'linear', 'log_sigmoid', 'log_softmax', 'mish', 'relu', 'relu6', 'selu', 'sigmoid', 'silu', 'soft_shrink', 'softmax',
  'softplus', 'softsign', 'sparse_plus', 'sparse_sigmoid', 'sparsemax', 'squareplus', 'tanh', 'tanh_shrink', 'threshold',
];

/** Every registered name: the Keras 3 activations plus Kiln's hard_sigmoid_keras2 (Keras 2 / TF.js hard sigmoid), sorted. */
const ALL_NAMES = [...KERAS_3_NAMES, 'hard_sigmoid_keras2'].sort();

const backend = new JsBackend('float64');

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('activationRegistry', () => {
  it('holds exactly the Keras 3 activations and hard_sigmoid_keras2 under their snake_case names', () => {
    expect(activationRegistry.names()).toEqual(ALL_NAMES);
  });

  it('resolves every name in snake_case, camelCase, PascalCase and upper case', () => {
    for (const name of ALL_NAMES.filter((n) => n !== 'threshold')) {
      const pascal = camel(name).replace(/^./, (c) => c.toUpperCase());
      for (const spelling of [name, camel(name), pascal, name.toUpperCase()]) {
        expect(getActivation(spelling).name, spelling).toBe(name);
        expect(getActivation({ type: spelling }).name, spelling).toBe(name);
      }
    }
    expect(getActivation({ type: 'Threshold', threshold: 0, defaultValue: 0 }).name).toBe('threshold');
  });

  it('resolves the aliases swish → silu and hard_swish → hard_silu', () => {
    for (const s of ['swish', 'Swish']) expect(getActivation(s).name).toBe('silu');
    for (const s of ['hard_swish', 'hardSwish', 'HardSwish']) expect(getActivation(s).name).toBe('hard_silu');
    expect(getActivation('swish').getConfig()).toBe('silu');
  });
});

describe('config validation', () => {
  it('rejects an unknown name with a ConfigError naming it and listing the expected names', () => {
    const e = configError(() => getActivation('relu7'));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toContain('"relu7"');
    expect(e.message).toContain('expected one of celu, elu,');
    expect(e.message).toContain('tanh_shrink, threshold');
    expect(e.issues[0]?.received).toBe('relu7');
  });

  it('rejects an unknown type in the object form at path `type`', () => {
    const e = configError(() => getActivation({ type: 'swishy', axis: 1 }));
    expect(e.issues[0]?.path).toBe('type');
    expect(e.issues[0]?.received).toBe('swishy');
    expect(e.message).toContain('type: unknown activation "swishy"; expected one of');
  });

  it('rejects arguments of the wrong type, naming the argument and the value', () => {
    const e = configError(() => getActivation({ type: 'relu', maxValue: '6' }));
    expect(e.issues[0]?.path).toBe('maxValue');
    expect(e.issues[0]?.received).toBe('6');
    expect(configError(() => getActivation({ type: 'softmax', axis: 1.5 })).issues[0]).toMatchObject({ path: 'axis', received: 1.5 });
    expect(configError(() => getActivation({ type: 'gelu', approximate: 'yes' })).issues[0]).toMatchObject({ path: 'approximate' });
    expect(configError(() => getActivation({ type: 'elu', alpha: Infinity })).issues[0]).toMatchObject({ path: 'alpha' });
    expect(configError(() => getActivation({ type: 'elu', alpha: NaN })).issues[0]).toMatchObject({ path: 'alpha' });
  });

  it('rejects values outside an argument domain', () => {
    expect(configError(() => getActivation({ type: 'celu', alpha: 0 })).issues[0]).toMatchObject({ path: 'alpha', received: 0 });
    expect(configError(() => getActivation({ type: 'squareplus', b: -1 })).issues[0]).toMatchObject({ path: 'b', received: -1 });
    expect(configError(() => getActivation({ type: 'soft_shrink', threshold: -0.5 })).issues[0]).toMatchObject({ path: 'threshold' });
  });

  it('is strict: unknown arguments are rejected by name, with the accepted ones listed', () => {
    const e = configError(() => getActivation({ type: 'softmax', axes: 1 }));
    expect(e.issues[0]).toMatchObject({ path: 'axes', received: 1 });
    expect(e.message).toContain('softmax has no argument "axes"; expected type, axis');
    // Keras' snake_case spelling is not an argument name here (arguments are camelCase).
    expect(configError(() => getActivation({ type: 'relu', negative_slope: 0.1 })).issues[0]?.path).toBe('negative_slope');
    expect(configError(() => getActivation({ type: 'tanh', alpha: 1 })).issues[0]?.path).toBe('alpha');
  });

  it('requires threshold\'s arguments, which have no defaults in Keras 3', () => {
    const e = configError(() => getActivation('threshold'));
    expect(e.message).toContain('"threshold" has required arguments');
    expect(e.message).toContain('threshold, defaultValue');
    expect(configError(() => getActivation({ type: 'threshold', threshold: 0 })).issues[0]?.path).toBe('defaultValue');
  });

  it('rejects values that are neither a name nor an object with a type', () => {
    for (const bad of [42, null, [], {}, { axis: 1 }]) {
      const e = configError(() => getActivation(bad as unknown as ActivationConfig));
      expect(e.message).toContain('expected an activation name or an object');
    }
  });

  it('reports nested paths when embedded in a larger schema (as layers do)', () => {
    const layer = z.object({ activation: activationSchema.optional() }).strict();
    expect(() => parseConfig(layer, { activation: { type: 'relu', negativeSlope: 'x' } })).toThrow(
      /^activation\.negativeSlope: .*\(received "x"\)$/,
    );
    expect(() => parseConfig(layer, { activation: 'nope' })).toThrow(/^activation: unknown activation "nope"/);
    expect(parseConfig(layer, { activation: 'leakyRelu' })).toEqual({ activation: 'leakyRelu' });
  });

  it('reports shape problems of axis-wise activations as ConfigErrors', () => {
    expect(configError(() => getActivation({ type: 'softmax', axis: 2 }).apply(backend.zeros([2, 3]), backend)).message).toContain(
      'axis 2 is out of range for a tensor of rank 2',
    );
    expect(configError(() => getActivation({ type: 'sparsemax', axis: -3 }).apply(backend.zeros([2, 3]), backend)).issues[0]?.received).toBe(-3);
    const glu = getActivation('glu');
    expect(configError(() => glu.apply(backend.zeros([2, 5]), backend)).message).toContain('even size');
    expect(configError(() => glu.computeOutputShape?.([5])).message).toContain('glu needs an even size along axis -1, received input shape (None, 5)');
    expect(configError(() => getActivation({ type: 'glu', axis: 0 }).computeOutputShape?.([4])).message).toContain('batch axis');
    expect(configError(() => getActivation({ type: 'glu', axis: 3 }).computeOutputShape?.([4, 2])).message).toContain('out of range');
  });
});

/** Every activation with default arguments, and each argument form. */
const ROUND_TRIP: { config: ActivationConfig; expected: ActivationConfig }[] = [
  ...ALL_NAMES.filter((n) => n !== 'threshold').map((n) => ({ config: camel(n), expected: n })),
  { config: { type: 'relu', negativeSlope: 0.1, maxValue: 6 }, expected: { type: 'relu', negativeSlope: 0.1, maxValue: 6, threshold: 0 } },
  { config: { type: 'relu', threshold: 0.5 }, expected: { type: 'relu', negativeSlope: 0, maxValue: null, threshold: 0.5 } },
  { config: { type: 'relu', negativeSlope: 0, maxValue: null, threshold: 0 }, expected: 'relu' },
  { config: { type: 'leakyRelu', negativeSlope: 0.01 }, expected: { type: 'leaky_relu', negativeSlope: 0.01 } },
  { config: { type: 'leaky_relu', negativeSlope: 0.2 }, expected: 'leaky_relu' },
  { config: { type: 'elu', alpha: 0.5 }, expected: { type: 'elu', alpha: 0.5 } },
  { config: { type: 'celu', alpha: 2 }, expected: { type: 'celu', alpha: 2 } },
  { config: { type: 'gelu', approximate: true }, expected: { type: 'gelu', approximate: true } },
  { config: { type: 'gelu', approximate: false }, expected: 'gelu' },
  { config: { type: 'softmax', axis: 1 }, expected: { type: 'softmax', axis: 1 } },
  { config: { type: 'softmax', axis: -1 }, expected: 'softmax' },
  { config: { type: 'log_softmax', axis: 0 }, expected: { type: 'log_softmax', axis: 0 } },
  { config: { type: 'sparsemax', axis: 1 }, expected: { type: 'sparsemax', axis: 1 } },
  { config: { type: 'glu', axis: 1 }, expected: { type: 'glu', axis: 1 } },
  { config: { type: 'hard_shrink', threshold: 1 }, expected: { type: 'hard_shrink', threshold: 1 } },
  { config: { type: 'soft_shrink', threshold: 0.25 }, expected: { type: 'soft_shrink', threshold: 0.25 } },
  { config: { type: 'squareplus', b: 1 }, expected: { type: 'squareplus', b: 1 } },
  { config: { type: 'threshold', threshold: 0.5, defaultValue: -1 }, expected: { type: 'threshold', threshold: 0.5, defaultValue: -1 } },
  { config: { type: 'threshold', threshold: 0, defaultValue: 0 }, expected: { type: 'threshold', threshold: 0, defaultValue: 0 } },
];

describe('getConfig', () => {
  it.each(ROUND_TRIP.map((c) => [JSON.stringify(c.config), c] as const))('%s round-trips through getActivation', (_n, { config, expected }) => {
    const first = getActivation(config);
    expect(first.getConfig()).toEqual(expected);
    // Through JSON, as a saved model would store it.
    const second = getActivation(JSON.parse(JSON.stringify(first.getConfig())) as ActivationConfig);
    expect(second.getConfig()).toEqual(expected);
    expect(second.name).toBe(first.name);
    const x = backend.fromValues([2, 2, 4], testInputs(16, 3, 2));
    expect(Array.from(second.apply(x, backend).data)).toEqual(Array.from(first.apply(x, backend).data));
  });

  it('covers every activation', () => {
    const covered = new Set(ROUND_TRIP.map(({ expected }) => (typeof expected === 'string' ? expected : expected.type)));
    expect([...covered].sort()).toEqual(ALL_NAMES);
  });
});

describe('apply and gradient', () => {
  const configs: ActivationConfig[] = [
    ...ALL_NAMES.filter((n) => n !== 'threshold'),
    { type: 'threshold', threshold: 0.1, defaultValue: 2 },
    { type: 'softmax', axis: 1 },
    { type: 'glu', axis: 1 },
  ];
  it.each(configs.map((c) => [JSON.stringify(c), c] as const))('%s leaves its inputs untouched and returns new tensors', (_n, config) => {
    const activation = getActivation(config);
    const x = backend.fromValues([2, 4, 2], testInputs(16, 3, 4));
    const xCopy = Array.from(x.data);
    const y = activation.apply(x, backend);
    expect(y).not.toBe(x);
    expect(y.data).not.toBe(x.data);
    expect(Array.from(x.data)).toEqual(xCopy);
    const yCopy = Array.from(y.data);
    const dy = backend.fromValues(y.shape, testInputs(y.size, 1, 5));
    const dyCopy = Array.from(dy.data);
    const dx = activation.gradient(x, y, dy, backend);
    expect(dx.shape).toEqual(x.shape);
    expect(dx.data).not.toBe(dy.data);
    expect(Array.from(x.data)).toEqual(xCopy);
    expect(Array.from(y.data)).toEqual(yCopy);
    expect(Array.from(dy.data)).toEqual(dyCopy);
  });

  it('creates tensors of the backend\'s dtype', () => {
    const f32 = testBackend();
    for (const config of ['relu', 'softmax', 'sparsemax', 'glu', 'linear']) {
      const a = getActivation(config);
      const x = f32.fromValues([2, 4], testInputs(8));
      const y = a.apply(x, f32);
      expect(y.data).toBeInstanceOf(Float32Array);
      expect(a.gradient(x, y, f32.fromValues(y.shape, testInputs(y.size)), f32).data).toBeInstanceOf(Float32Array);
    }
  });
});
