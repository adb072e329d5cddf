import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { Rng } from '../rng.js';
import { getInitializer, initializerRegistry, initializerSchema } from './index.js';

/** The ConfigError thrown by `f`, failing the test when nothing (or something else) is thrown. */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const NAMES = [
  'zeros', 'ones', 'constant', 'random_normal', 'random_uniform', 'truncated_normal', 'variance_scaling', 'glorot_normal',
  'glorot_uniform', 'he_normal', 'he_uniform', 'lecun_normal', 'lecun_uniform', 'orthogonal', 'identity',
];

describe('initializer registry and getInitializer', () => {
  it('knows exactly the Keras identifiers', () => {
    expect(initializerRegistry.names()).toEqual([...NAMES].sort());
  });

  it('accepts every name in snake_case, camelCase and PascalCase', () => {
    for (const name of NAMES) {
      const camel = name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
      const pascal = camel[0]!.toUpperCase() + camel.slice(1);
      const a = getInitializer(name);
      expect(getInitializer(camel).name).toBe(a.name);
      expect(getInitializer(pascal).name).toBe(a.name);
      expect(a.name).toBe(pascal);
    }
  });

  it('builds string identifiers with Keras defaults', () => {
    expect(getInitializer('random_normal').getConfig()).toEqual({ type: 'RandomNormal', mean: 0, stddev: 0.05, seed: null });
    expect(getInitializer('random_uniform').getConfig()).toEqual({ type: 'RandomUniform', minval: -0.05, maxval: 0.05, seed: null });
    expect(getInitializer('truncated_normal').getConfig()).toEqual({ type: 'TruncatedNormal', mean: 0, stddev: 0.05, seed: null });
    expect(getInitializer('constant').getConfig()).toEqual({ type: 'Constant', value: 0 });
    expect(getInitializer('orthogonal').getConfig()).toEqual({ type: 'Orthogonal', gain: 1, seed: null });
    expect(getInitializer('identity').getConfig()).toEqual({ type: 'Identity', gain: 1 });
  });

  it('round-trips getConfig through getInitializer for every class, with the same values', () => {
    const configs: unknown[] = [
      { type: 'Zeros' },
      { type: 'Ones' },
      { type: 'Constant', value: 0.3 },
      { type: 'RandomNormal', mean: 1, stddev: 2, seed: 3 },
      { type: 'RandomUniform', minval: -1, maxval: 1, seed: 3 },
      { type: 'TruncatedNormal', mean: 0, stddev: 0.1, seed: 3 },
      { type: 'VarianceScaling', scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 },
      { type: 'GlorotNormal', seed: 3 },
      { type: 'GlorotUniform', seed: 3 },
      { type: 'HeNormal', seed: 3 },
      { type: 'HeUniform', seed: null },
      { type: 'LecunNormal', seed: 3 },
      { type: 'LecunUniform', seed: 3 },
      { type: 'Orthogonal', gain: 0.5, seed: 3 },
      { type: 'Identity', gain: 2 },
    ];
    expect(configs.map((c) => (c as { type: string }).type).sort()).toEqual(
      NAMES.map((n) => initializerRegistry.get(n)({}).name).sort(),
    );
    for (const config of configs) {
      const init = getInitializer(config);
      const again = getInitializer(init.getConfig());
      expect(again.getConfig()).toEqual(init.getConfig());
      expect(init.getConfig()).toEqual(config);
      expect(Array.from(again.init([4, 4], new Rng(1)))).toEqual(Array.from(init.init([4, 4], new Rng(1))));
      // getConfig is plain JSON.
      expect(JSON.parse(JSON.stringify(init.getConfig()))).toEqual(init.getConfig());
    }
  });

  it('a seeded object config gives the same values for the same seed', () => {
    const a = getInitializer({ type: 'GlorotUniform', seed: 1 }).init([5, 5], new Rng(0));
    expect(Array.from(getInitializer({ type: 'GlorotUniform', seed: 1 }).init([5, 5], new Rng(42)))).toEqual(Array.from(a));
  });

  it('rejects an unknown name, naming it', () => {
    const e = configError(() => getInitializer('glorot_uniformish'));
    expect(e.message).toContain('"glorot_uniformish"');
    expect(e.message).toContain('glorot_uniform');
  });

  it('rejects an unknown type, naming the path and value', () => {
    const e = configError(() => getInitializer({ type: 'Xavier' }, ['kernelInitializer']));
    expect(e.message).toMatch(/^kernelInitializer\.type: .*"Xavier"/);
    expect(e.issues[0]).toMatchObject({ path: 'kernelInitializer.type', received: 'Xavier' });
  });

  it('rejects a wrong argument type, naming the path and value', () => {
    const e = configError(() => getInitializer({ type: 'RandomNormal', stddev: 'big' }));
    expect(e.issues[0]).toMatchObject({ path: 'stddev', received: 'big' });
    expect(e.message).toContain('stddev');
    expect(e.message).toContain('"big"');
  });

  it('rejects an unknown property, naming it and its value', () => {
    const e = configError(() => getInitializer({ type: 'GlorotUniform', seed: 1, scale: 2 }));
    expect(e.issues[0]).toMatchObject({ path: 'scale', received: 2 });
  });

  it('rejects invalid argument values (negative seed, bad mode, non-positive scale, maxval < minval)', () => {
    expect(configError(() => getInitializer({ type: 'HeNormal', seed: -1 })).issues[0]).toMatchObject({ path: 'seed', received: -1 });
    expect(configError(() => getInitializer({ type: 'VarianceScaling', mode: 'fan_sum' })).issues[0]).toMatchObject({ path: 'mode', received: 'fan_sum' });
    expect(configError(() => getInitializer({ type: 'VarianceScaling', scale: 0 })).issues[0]).toMatchObject({ path: 'scale', received: 0 });
    expect(configError(() => getInitializer({ type: 'RandomUniform', minval: 1, maxval: 0 })).issues[0]?.path).toBe('maxval');
  });

  it('rejects values that are neither a name nor an object', () => {
    for (const bad of [3, null, ['zeros'], true]) expect(configError(() => getInitializer(bad)).message).toContain('initializer');
  });

  it('constructors validate like the factory', () => {
    expect(() => getInitializer({ type: 'Constant', value: Number.NaN })).toThrow(ConfigError);
  });

  it('nested in a larger schema, errors carry the full path', () => {
    const layer = z.object({ kernelInitializer: initializerSchema.optional() }).strict();
    const e = configError(() => parseConfig(layer, { kernelInitializer: { type: 'HeNormal', seed: 'x' } }, ['layers', 2]));
    expect(e.issues[0]).toMatchObject({ path: 'layers[2].kernelInitializer.seed', received: 'x' });
    expect(parseConfig(layer, { kernelInitializer: 'HeNormal' })).toEqual({ kernelInitializer: 'HeNormal' });
  });
});
