import { describe, expect, it } from 'vitest';
import { JsBackend } from '../../backend/js-backend.js';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Shape } from '../../tensor.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';

const backend = new JsBackend('float64');

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

function built(config: LayerConfig, inputShape: Shape): Layer {
  const layer = createLayer(config);
  layer.build(inputShape, { backend, rng: new Rng(0) });
  return layer;
}

/** y = layer(x) for one batch of `values` (0..n-1 when not given), as nested-free arrays. */
function run(config: LayerConfig, shape: number[], values?: number[]): { shape: number[]; data: number[] } {
  const n = shape.reduce((a, b) => a * b, 1);
  const layer = built(config, shape.slice(1));
  const y = layer.call(backend.fromValues(shape, values ?? Array.from({ length: n }, (_, i) => i)), false);
  return { shape: [...y.shape], data: Array.from(y.data) };
}

describe('reshaping layers compute the Keras examples (worked by hand)', () => {
  it('ZeroPadding1D(padding=2) of arange(12).reshape(2, 2, 3)', () => {
    const z = [0, 0, 0];
    expect(run({ type: 'ZeroPadding1D', padding: 2 }, [2, 2, 3])).toEqual({
      shape: [2, 6, 3],
      data: [...z, ...z, 0, 1, 2, 3, 4, 5, ...z, ...z, ...z, ...z, 6, 7, 8, 9, 10, 11, ...z, ...z],
    });
  });

  it('ZeroPadding2D(padding=1) of a 1×2×2×1 image [[0, 1], [2, 3]] (one channel)', () => {
    expect(run({ type: 'ZeroPadding2D', padding: 1 }, [1, 2, 2, 1])).toEqual({
      shape: [1, 4, 4, 1],
      data: [0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0],
    });
  });

  it('Cropping1D(cropping=1) of arange(12).reshape(2, 3, 2) keeps the middle step', () => {
    expect(run({ type: 'Cropping1D', cropping: 1 }, [2, 3, 2])).toEqual({ shape: [2, 1, 2], data: [2, 3, 8, 9] });
  });

  it('Cropping2D(cropping=[[1, 0], [0, 1]]) of a 3×3 image', () => {
    expect(run({ type: 'Cropping2D', cropping: [[1, 0], [0, 1]] }, [1, 3, 3, 1])).toEqual({ shape: [1, 2, 2, 1], data: [3, 4, 6, 7] });
  });

  it('UpSampling1D(size=2) of arange(12).reshape(2, 2, 3) repeats each step', () => {
    expect(run({ type: 'UpSampling1D', size: 2 }, [2, 2, 3])).toEqual({
      shape: [2, 4, 3],
      data: [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11],
    });
  });

  it('UpSampling2D(size=[1, 2]) of a 2×2 image repeats each column', () => {
    expect(run({ type: 'UpSampling2D', size: [1, 2] }, [1, 2, 2, 1])).toEqual({ shape: [1, 2, 4, 1], data: [0, 0, 1, 1, 2, 2, 3, 3] });
  });

  it('Permute(dims=[2, 1]) transposes each sample', () => {
    expect(run({ type: 'Permute', dims: [2, 1] }, [1, 2, 3])).toEqual({ shape: [1, 3, 2], data: [0, 3, 1, 4, 2, 5] });
  });

  it('Permute(dims=[3, 1, 2]) moves the last axis first', () => {
    // Input (2, 2, 2) per sample: x[i][j][k] = 4i + 2j + k; output[k][i][j] = x[i][j][k].
    expect(run({ type: 'Permute', dims: [3, 1, 2] }, [1, 2, 2, 2])).toEqual({ shape: [1, 2, 2, 2], data: [0, 2, 4, 6, 1, 3, 5, 7] });
  });

  it('RepeatVector(3) of [[0, 1], [2, 3]]', () => {
    expect(run({ type: 'RepeatVector', n: 3 }, [2, 2])).toEqual({ shape: [2, 3, 2], data: [0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3] });
  });
});

describe('reshaping layer configs', () => {
  it.each<[string, LayerConfig, LayerConfig]>([
    ['ZeroPadding1D default', { type: 'ZeroPadding1D' }, { type: 'ZeroPadding1D', padding: [1, 1], dataFormat: 'channels_last' }],
    ['ZeroPadding1D int', { type: 'ZeroPadding1D', padding: 3 }, { type: 'ZeroPadding1D', padding: [3, 3], dataFormat: 'channels_last' }],
    ['ZeroPadding2D default', { type: 'ZeroPadding2D' }, { type: 'ZeroPadding2D', padding: [[1, 1], [1, 1]], dataFormat: 'channels_last' }],
    ['ZeroPadding2D [h, w]', { type: 'ZeroPadding2D', padding: [1, 2] }, { type: 'ZeroPadding2D', padding: [[1, 1], [2, 2]], dataFormat: 'channels_last' }],
    ['Cropping1D default', { type: 'Cropping1D' }, { type: 'Cropping1D', cropping: [1, 1] }],
    ['Cropping2D default', { type: 'Cropping2D' }, { type: 'Cropping2D', cropping: [[0, 0], [0, 0]], dataFormat: 'channels_last' }],
    ['Cropping2D int', { type: 'Cropping2D', cropping: 2 }, { type: 'Cropping2D', cropping: [[2, 2], [2, 2]], dataFormat: 'channels_last' }],
    ['UpSampling1D default', { type: 'UpSampling1D' }, { type: 'UpSampling1D', size: 2 }],
    ['UpSampling2D default', { type: 'UpSampling2D' }, { type: 'UpSampling2D', size: [2, 2], dataFormat: 'channels_last', interpolation: 'nearest' }],
    ['UpSampling2D int', { type: 'UpSampling2D', size: 3, interpolation: 'bilinear' }, { type: 'UpSampling2D', size: [3, 3], dataFormat: 'channels_last', interpolation: 'bilinear' }],
    ['SpatialDropout1D', { type: 'SpatialDropout1D', rate: 0.2 }, { type: 'SpatialDropout1D', rate: 0.2, seed: null }],
    ['SpatialDropout2D', { type: 'SpatialDropout2D', rate: 0.2, seed: 4 }, { type: 'SpatialDropout2D', rate: 0.2, dataFormat: 'channels_last', seed: 4 }],
    ['Permute', { type: 'Permute', dims: [2, 3, 1] }, { type: 'Permute', dims: [2, 3, 1] }],
    ['RepeatVector', { type: 'RepeatVector', n: 4 }, { type: 'RepeatVector', n: 4 }],
  ])('%s: getConfig reports the normalized Keras arguments', (_label, config, expected) => {
    const layer = createLayer(config);
    expect(layer.getConfig()).toEqual(expected);
    expect(createLayer(layer.getConfig()).getConfig()).toEqual(expected);
  });

  it.each<[string, LayerConfig, string, string]>([
    ['Permute dims repeating an axis', { type: 'Permute', dims: [1, 1] }, 'dims', '(received [1,1])'],
    ['Permute dims skipping an axis', { type: 'Permute', dims: [1, 3] }, 'dims', '(received [1,3])'],
    ['Permute dims naming the batch axis', { type: 'Permute', dims: [0, 1] }, 'dims[0]', '(received 0)'],
    ['Permute without dims', { type: 'Permute' }, 'dims', 'expected array'],
    ['RepeatVector n 0', { type: 'RepeatVector', n: 0 }, 'n', '(received 0)'],
    ['negative padding', { type: 'ZeroPadding1D', padding: -1 }, 'padding', '(received -1)'],
    ['three-entry padding', { type: 'ZeroPadding2D', padding: [1, 2, 3] }, 'padding', '(received [1,2,3])'],
    ['fractional cropping', { type: 'Cropping2D', cropping: [[1, 0.5], [0, 0]] }, 'cropping', '(received [[1,0.5],[0,0]])'],
    ['UpSampling1D size 0', { type: 'UpSampling1D', size: 0 }, 'size', '(received 0)'],
    ['UpSampling2D bicubic (not implemented)', { type: 'UpSampling2D', interpolation: 'bicubic' }, 'interpolation', '(received "bicubic")'],
    ['ZeroPadding1D channels_first', { type: 'ZeroPadding1D', dataFormat: 'channels_first' }, 'dataFormat', '(received "channels_first")'],
    ['ZeroPadding2D channels_first', { type: 'ZeroPadding2D', dataFormat: 'channels_first' }, 'dataFormat', '(received "channels_first")'],
    ['Cropping2D channels_first', { type: 'Cropping2D', dataFormat: 'channels_first' }, 'dataFormat', '(received "channels_first")'],
    ['UpSampling2D channels_first', { type: 'UpSampling2D', dataFormat: 'channels_first' }, 'dataFormat', '(received "channels_first")'],
    ['SpatialDropout2D channels_first', { type: 'SpatialDropout2D', rate: 0.1, dataFormat: 'channels_first' }, 'dataFormat', '(received "channels_first")'],
    ['Cropping1D has no dataFormat in Keras 3', { type: 'Cropping1D', dataFormat: 'channels_last' }, '', 'Unrecognized key: "dataFormat"'],
  ])('%s → ConfigError naming the path and the value', (_label, config, path, received) => {
    const error = configError(() => createLayer(config));
    if (path) {
      expect(error.message).toContain(`${path}:`);
      expect(error.issues.some((i) => i.path === path)).toBe(true);
    }
    expect(error.message).toContain(received);
  });

  it('explains that channels_first is not supported', () => {
    expect(configError(() => createLayer({ type: 'UpSampling2D', dataFormat: 'channels_first' })).message).toContain('channels-last only');
  });

  it.each<[string, LayerConfig, Shape, string]>([
    ['cropping larger than the steps', { type: 'Cropping1D', name: 'crop', cropping: [2, 2] }, [4, 3], 'removes all 4 entries of axis 1'],
    ['cropping larger than the columns', { type: 'Cropping2D', name: 'crop', cropping: [[0, 0], [3, 1]] }, [5, 4, 2], 'removes all 4 entries of axis 2'],
    ['Permute dims for another rank', { type: 'Permute', name: 'perm', dims: [2, 1] }, [2, 3, 4], 'permute 2 axes, but the input has 3'],
    ['ZeroPadding2D on a sequence', { type: 'ZeroPadding2D', name: 'pad' }, [4, 3], 'expects an input of rank 4'],
    ['ZeroPadding1D on an image', { type: 'ZeroPadding1D', name: 'pad' }, [4, 3, 2], 'expects an input of rank 3'],
    ['Cropping2D on a sequence', { type: 'Cropping2D', name: 'crop' }, [4, 3], 'expects an input of rank 4'],
    ['UpSampling1D on a vector', { type: 'UpSampling1D', name: 'up' }, [4], 'expects an input of rank 3'],
    ['UpSampling2D on a sequence', { type: 'UpSampling2D', name: 'up' }, [4, 3], 'expects an input of rank 4'],
    ['RepeatVector on a sequence', { type: 'RepeatVector', name: 'rep', n: 2 }, [4, 3], 'expects an input of rank 2'],
  ])('%s → ConfigError naming the layer and the received shape', (_label, config, inputShape, problem) => {
    const error = configError(() => built(config, inputShape));
    expect(error.message).toContain(`layer "${config.name}" (${config.type})`);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(`received input shape (None, ${inputShape.join(', ')})`);
  });

  it('keeps a cropping that leaves one entry', () => {
    expect(built({ type: 'Cropping1D', cropping: [2, 1] }, [4, 3]).outputShape).toEqual([1, 3]);
  });
});
