import { describe, expect, it } from 'vitest';
import { JsBackend } from '../../backend/js-backend.js';
import { ConfigError, DataError } from '../../errors.js';
import { Rng } from '../../rng.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';
import { Embedding } from './embedding.js';

const backend = new JsBackend('float64');

function built(config: Omit<LayerConfig, 'type'>, inputShape: number[]): Layer {
  const layer = createLayer({ type: 'Embedding', name: 'emb', ...config });
  layer.build(inputShape, { backend, rng: new Rng(5) });
  return layer;
}

/** Sets the table to row i = [10·i, 10·i + 1, ...] so lookups are recognizable. */
function recognizableTable(layer: Layer): void {
  const table = layer.variables[0]!.value;
  const d = table.shape[1]!;
  for (let i = 0; i < table.size; i++) table.data[i] = 10 * Math.floor(i / d) + (i % d);
}

describe('Embedding', () => {
  it('looks up one row per id, for any number of id axes', () => {
    const layer = built({ inputDim: 5, outputDim: 2 }, [2, 2]);
    recognizableTable(layer);
    const y = layer.call(backend.fromValues([1, 2, 2], [4, 0, 2, 2]), false);
    expect([...y.shape]).toEqual([1, 2, 2, 2]);
    expect(Array.from(y.data)).toEqual([40, 41, 0, 1, 20, 21, 20, 21]);
  });

  it('adds the output gradient of every occurrence of an id into its row, and returns a zero input gradient', () => {
    const layer = built({ inputDim: 4, outputDim: 2 }, [3]);
    layer.call(backend.fromValues([2, 3], [1, 3, 1, 0, 1, 3]), true);
    const dy = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const dx = layer.callBackward(backend.fromValues([2, 3, 2], dy));
    expect([...dx.shape]).toEqual([2, 3]);
    expect(Array.from(dx.data)).toEqual([0, 0, 0, 0, 0, 0]);
    // id 0 at position 3; id 1 at positions 0, 2, 4; id 2 unused; id 3 at positions 1, 5.
    expect(Array.from(layer.variables[0]!.grad.data)).toEqual([7, 8, 1 + 5 + 9, 2 + 6 + 10, 0, 0, 3 + 11, 4 + 12]);
  });

  it('defaults to Keras uniform: RandomUniform(-0.05, 0.05), reported as "uniform"', () => {
    const layer = built({ inputDim: 50, outputDim: 8 }, [3]);
    const values = Array.from(layer.variables[0]!.value.data);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...values)).toBeLessThan(0.05);
    // 400 draws from U(-0.05, 0.05) spread over the range, not a constant.
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.09);
    expect(layer.getConfig().embeddingsInitializer).toBe('uniform');
  });

  it('accepts "uniform" in any spelling and draws exactly what random_uniform draws', () => {
    const reference = Array.from(built({ inputDim: 6, outputDim: 3, embeddingsInitializer: 'random_uniform' }, [2]).variables[0]!.value.data);
    for (const spelling of ['uniform', 'Uniform', 'UNIFORM']) {
      const layer = built({ inputDim: 6, outputDim: 3, embeddingsInitializer: spelling }, [2]);
      expect(Array.from(layer.variables[0]!.value.data)).toEqual(reference);
      expect(layer.getConfig().embeddingsInitializer).toBe(spelling);
    }
  });

  it('names its one weight embeddings, shaped [inputDim, outputDim]', () => {
    const layer = built({ inputDim: 7, outputDim: 3 }, [4]);
    expect(layer.variables.map((v) => [v.name, [...v.value.shape]])).toEqual([['emb/embeddings', [7, 3]]]);
    expect(layer.computeOutputShape([4])).toEqual([4, 3]);
  });

  describe('maskZero', () => {
    it('outputs a [batch, steps] mask that is 0 where the id is 0, from the last call (inference too)', () => {
      const layer = built({ inputDim: 5, outputDim: 2, maskZero: true }, [4]);
      layer.call(backend.fromValues([2, 4], [3, 0, 1, 0, 0, 0, 4, 2]), false);
      const mask = layer.computeOutputMask()!;
      expect([...mask.shape]).toEqual([2, 4]);
      expect(Array.from(mask.data)).toEqual([1, 0, 1, 0, 0, 0, 1, 1]);
      layer.call(backend.fromValues([1, 4], [0, 2, 2, 0]), true);
      expect(Array.from(layer.computeOutputMask()!.data)).toEqual([0, 1, 1, 0]);
    });

    it('still embeds id 0 (Keras masks downstream, it does not zero the output)', () => {
      const layer = built({ inputDim: 3, outputDim: 2, maskZero: true }, [1]);
      recognizableTable(layer);
      layer.variables[0]!.value.data[0] = 7;
      expect(Array.from(layer.call(backend.fromValues([1, 1], [0]), false).data)).toEqual([7, 1]);
    });

    it('gives no mask without maskZero', () => {
      const layer = built({ inputDim: 5, outputDim: 2 }, [2]);
      layer.call(backend.fromValues([1, 2], [0, 1]), false);
      expect(layer.computeOutputMask()).toBeNull();
    });
  });

  describe('invalid ids throw a DataError naming the layer, the id and the valid range', () => {
    it.each([
      ['too large', 10, 'input id 10', 'out of range'],
      ['negative', -1, 'input id -1', 'out of range'],
      ['not an integer', 2.5, 'input id 2.5', 'not an integer'],
      ['NaN', Number.NaN, 'input id NaN', 'not an integer'],
    ])('%s', (_label, id, named, problem) => {
      const layer = built({ inputDim: 10, outputDim: 2 }, [3]);
      let error: unknown;
      try {
        layer.call(backend.fromValues([1, 3], [1, id, 2]), false);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      const message = (error as Error).message;
      expect(message).toContain('layer "emb" (Embedding)');
      expect(message).toContain(named);
      expect(message).toContain('at flat position 1');
      expect(message).toContain(problem);
      expect(message).toContain('[0, 9]');
    });
  });

  describe('config', () => {
    it('round-trips every argument through getConfig', () => {
      const config = {
        type: 'Embedding',
        name: 'emb',
        inputDim: 9,
        outputDim: 4,
        embeddingsInitializer: { type: 'RandomNormal', mean: 0, stddev: 0.5, seed: 1 },
        embeddingsRegularizer: { type: 'L2', l2: 0.01 },
        embeddingsConstraint: { type: 'MaxNorm', maxValue: 2, axis: 0 },
        activityRegularizer: 'l1',
        maskZero: true,
        inputLength: 12,
      };
      const layer = createLayer(config);
      expect(layer.getConfig()).toEqual(config);
      expect(createLayer(JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig).getConfig()).toEqual(config);
    });

    it('reports the Keras defaults', () => {
      expect(new Embedding({ inputDim: 3, outputDim: 2 }).getConfig()).toEqual({
        type: 'Embedding',
        inputDim: 3,
        outputDim: 2,
        embeddingsInitializer: 'uniform',
        maskZero: false,
      });
    });

    it.each<[string, LayerConfig, string, string]>([
      ['missing inputDim', { type: 'Embedding', outputDim: 2 }, 'inputDim', 'expected number'],
      ['zero outputDim', { type: 'Embedding', inputDim: 3, outputDim: 0 }, 'outputDim', '(received 0)'],
      ['unknown initializer', { type: 'Embedding', inputDim: 3, outputDim: 2, embeddingsInitializer: 'uniformly' }, 'embeddingsInitializer', '"uniformly"'],
      [
        'bad initializer argument',
        { type: 'Embedding', inputDim: 3, outputDim: 2, embeddingsInitializer: { type: 'RandomUniform', minval: 'low' } },
        'embeddingsInitializer.minval',
        '"low"',
      ],
      ['unknown property', { type: 'Embedding', inputDim: 3, outputDim: 2, maskZeros: true }, '', 'maskZeros'],
    ])('%s → ConfigError naming the path and the value', (_label, config, path, received) => {
      let error: unknown;
      try {
        createLayer(config);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      if (path) expect(message).toContain(`${path}:`);
      expect(message).toContain(received);
    });
  });
});
