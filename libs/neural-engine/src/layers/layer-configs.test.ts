import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Rng } from '../rng.js';
import { type Shape, formatShape } from '../tensor.js';
import { Dense, Dropout, type LayerConfig, Reshape, createLayer, layerRegistry, layerSchema, layerTypes } from './index.js';
import { testBackend } from '../testing/test-backend.js';

/** The ConfigError thrown by `fn` (fails the test if it throws anything else or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function build(config: LayerConfig, inputShape: Shape): void {
  createLayer(config).build(inputShape, { backend: testBackend(), rng: new Rng(0) });
}

describe('invalid layer configs', () => {
  it.each<[string, LayerConfig, string, string]>([
    ['negative units', { type: 'Dense', units: -3 }, 'units', '(received -3)'],
    ['zero units', { type: 'Dense', units: 0 }, 'units', '(received 0)'],
    ['rate 1.5', { type: 'Dropout', rate: 1.5 }, 'rate', '(received 1.5)'],
    ['rate 1 (would divide by zero)', { type: 'Dropout', rate: 1 }, 'rate', '(received 1)'],
    ['negative AlphaDropout rate', { type: 'AlphaDropout', rate: -0.1 }, 'rate', '(received -0.1)'],
    ['GaussianNoise stddev above 1', { type: 'GaussianNoise', stddev: 2 }, 'stddev', '(received 2)'],
    ['Reshape with two -1', { type: 'Reshape', targetShape: [-1, 2, -1] }, 'targetShape', '(received [-1,2,-1])'],
    ['Reshape with a 0 dimension', { type: 'Reshape', targetShape: [0, 2] }, 'targetShape[0]', '(received 0)'],
    ['negative ReLU maxValue', { type: 'ReLU', maxValue: -1 }, 'maxValue', '(received -1)'],
    ['negative LeakyReLU slope', { type: 'LeakyReLU', negativeSlope: -0.3 }, 'negativeSlope', '(received -0.3)'],
    ['PReLU shared axis 0 (the batch axis)', { type: 'PReLU', sharedAxes: [0] }, 'sharedAxes[0]', '(received 0)'],
    ['Flatten channels_first', { type: 'Flatten', dataFormat: 'channels_first' }, 'dataFormat', '(received "channels_first")'],
    ['unknown activation', { type: 'Activation', activation: 'relu7' }, 'activation', '"relu7"'],
    ['noiseShape with a 0', { type: 'Dropout', rate: 0.5, noiseShape: [null, 0] }, 'noiseShape[1]', '(received 0)'],
    ['Input without shape', { type: 'InputLayer' }, 'shape', 'expected array'],
    ['bad name', { type: 'Dense', units: 2, name: 'my layer!' }, 'name', '(received "my layer!")'],
  ])('%s → ConfigError naming the path and the value', (_label, config, path, received) => {
    const error = configError(() => createLayer(config));
    expect(error.message).toContain(`${path}:`);
    expect(error.message).toContain(received);
    expect(error.issues.some((i) => i.path === path)).toBe(true);
  });

  it('rejects an unknown type, listing the registered ones', () => {
    const error = configError(() => createLayer({ type: 'Conv9D', filters: 3 }));
    expect(error.message).toContain("type: Invalid discriminator value. Expected 'InputLayer' | 'Input' | 'Dense'");
    for (const type of layerTypes) expect(error.message).toContain(`'${type}'`);
    expect(error.message).toContain('(received "Conv9D")');
    expect(error.issues[0]).toMatchObject({ path: 'type', received: 'Conv9D' });
  });

  it('rejects unknown properties (strict schemas), through createLayer and constructors', () => {
    const viaRegistry = configError(() => createLayer({ type: 'Dense', units: 2, unitz: 3 }));
    expect(viaRegistry.message).toContain('Unrecognized key: "unitz"');
    expect(viaRegistry.message).toContain('"unitz":3');
    // @ts-expect-error -- not a Dropout argument
    const viaConstructor = configError(() => new Dropout({ rate: 0.2, keepProb: 0.8 }));
    expect(viaConstructor.message).toContain('"keepProb"');
    // Every registered schema is strict.
    for (const [type, entry] of Object.entries(layerRegistry)) {
      expect(entry.schema.safeParse({ type, bogus: 1 }).success, type).toBe(false);
    }
  });

  it('prefixes paths given to createLayer (as a model does for layers[i])', () => {
    const error = configError(() => createLayer({ type: 'Dense', units: 0 }, ['layers', 2]));
    expect(error.message).toMatch(/^layers\[2\]\.units: /);
    expect(error.issues[0]!.path).toBe('layers[2].units');
  });

  it('accepts valid configs of every type through layerSchema', () => {
    expect(layerSchema.safeParse({ type: 'Reshape', targetShape: [2, -1] }).success).toBe(true);
    expect(layerSchema.safeParse({ type: 'Input', shape: [4] }).success).toBe(true);
    expect(new Dense({ units: 2 }).getConfig()).toMatchObject({ type: 'Dense', units: 2, activation: 'linear' });
  });
});

describe('input shapes a layer cannot take', () => {
  it.each<[string, LayerConfig, Shape, string]>([
    ['Reshape size mismatch', { type: 'Reshape', targetShape: [5] }, [3, 4], 'cannot reshape 12 values per sample'],
    ['Reshape -1 that does not divide', { type: 'Reshape', targetShape: [5, -1] }, [3, 4], 'not a positive multiple of 5'],
    ['PReLU shared axis beyond the rank', { type: 'PReLU', sharedAxes: [3] }, [3, 4], 'sharedAxes entry 3 is out of range'],
    ['Softmax axis beyond the rank', { type: 'Softmax', axis: 3 }, [3, 4], 'axis 3 is out of range'],
    ['noiseShape of the wrong rank', { type: 'Dropout', rate: 0.5, noiseShape: [null, 4] }, [3, 4], 'one entry per axis'],
    ['noiseShape that does not broadcast', { type: 'AlphaDropout', rate: 0.5, noiseShape: [null, 2, 4] }, [3, 4], 'does not broadcast'],
    ['Input shape mismatch', { type: 'InputLayer', shape: [4] }, [5], 'expected input shape (None, 4)'],
    ['Dense on a batch-only input', { type: 'Dense', units: 2 }, [], 'rank >= 1'],
  ])('%s → ConfigError naming the layer and the received shape', (_label, config, inputShape, problem) => {
    const error = configError(() => build({ ...config, name: 'bad_layer' }, inputShape));
    expect(error.message).toContain('bad_layer');
    expect(error.message).toContain(`(${config.type})`);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(formatShape(inputShape));
  });

  it('resolves Reshape -1 from the input size', () => {
    const layer = new Reshape({ targetShape: [2, -1], name: 'r' });
    expect(layer.computeOutputShape([3, 4])).toEqual([2, 6]);
  });
});
