import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Shape } from '../../tensor.js';
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';

/*
 * LayerNormalization against hand computations, for what TF.js lacks (Keras 3's rmsScaling, non-last axes without
 * gamma and beta); plus weight layout, configs and errors.
 */

function build(config: LayerConfig, inputShape: Shape): Layer {
  const layer = createLayer({ name: 'n', ...config });
  layer.build(inputShape, { backend, rng: new Rng(1) });
  return layer;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const biasedVar = (xs: number[]): number => mean(xs.map((v) => (v - mean(xs)) ** 2));

describe('LayerNormalization (hand-derived)', () => {
  it('normalizes each sample over the last axis, then applies gamma and beta', () => {
    const layer = build({ type: 'LayerNormalization' }, [3]);
    layer.variables[0]!.value.data.set([2, 1, -1]);
    layer.variables[1]!.value.data.set([0, 0.5, 1]);
    const rows = [[1, 2, 6], [-1, 0, 4]];
    const y = layer.call(backend.fromValues([2, 3], rows.flat()), false);
    rows.forEach((row, b) =>
      row.forEach((v, j) => {
        const expected = ((v - mean(row)) / Math.sqrt(biasedVar(row) + 1e-3)) * [2, 1, -1][j]! + [0, 0.5, 1][j]!;
        expect(y.data[b * 3 + j]).toBeCloseTo(expected, 12);
      }),
    );
  });

  it('rmsScaling (Keras 3) scales x by gamma/sqrt(variance + epsilon) without centering, and has gamma only', () => {
    const layer = build({ type: 'LayerNormalization', rmsScaling: true, epsilon: 0.01 }, [4]);
    expect(layer.variables.map((v) => v.name)).toEqual(['n/gamma']);
    layer.variables[0]!.value.data.set([1, 2, 0.5, -1]);
    const row = [3, 1, 2, 6];
    const y = layer.call(backend.fromValues([1, 4], row), true);
    // Keras 3 keeps its (deprecated) definition: the variance is about the mean, only the output skips centering.
    row.forEach((v, j) => expect(y.data[j]).toBeCloseTo((v / Math.sqrt(biasedVar(row) + 0.01)) * [1, 2, 0.5, -1][j]!, 12));
  });

  it('axis 1 of a [3, 2] input normalizes over that axis, separately per sample and position of axis 2', () => {
    const layer = build({ type: 'LayerNormalization', axis: 1, scale: false, center: false }, [3, 2]);
    expect(layer.variables).toEqual([]);
    const xs = [1, 5, 2, -1, 6, 0, -2, 3, 4, 3, 0, 1];
    const y = layer.call(backend.fromValues([2, 3, 2], xs), true);
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < 2; j++) {
        const group = [0, 1, 2].map((i) => xs[b * 6 + i * 2 + j]!);
        for (let i = 0; i < 3; i++) expect(y.data[b * 6 + i * 2 + j]).toBeCloseTo((group[i]! - mean(group)) / Math.sqrt(biasedVar(group) + 1e-3), 12);
      }
    }
  });

  it('has Keras weight names, order and shapes (gamma, beta spanning the axes in the order given)', () => {
    expect(build({ type: 'LayerNormalization' }, [2, 5]).variables.map((v) => [v.name, v.value.shape])).toEqual([
      ['n/gamma', [5]],
      ['n/beta', [5]],
    ]);
    expect(build({ type: 'LayerNormalization', axis: [-1, 1] }, [2, 3]).variables.map((v) => v.value.shape)).toEqual([[3, 2], [3, 2]]);
    expect(build({ type: 'LayerNormalization', scale: false }, [4]).variables.map((v) => v.name)).toEqual(['n/beta']);
    // rmsScaling keeps gamma even with scale false and never has beta.
    expect(build({ type: 'LayerNormalization', rmsScaling: true, scale: false }, [4]).variables.map((v) => v.name)).toEqual(['n/gamma']);
  });

  it('is the same in training and inference, passes masks through, and round-trips its config', () => {
    const layer = build({ type: 'LayerNormalization', axis: [1, 2], epsilon: 1e-5, betaRegularizer: 'l1' }, [2, 3]);
    const x = backend.fromValues([2, 2, 3], Array.from({ length: 12 }, (_, i) => Math.sin(i)));
    expect(Array.from(layer.call(x, true).data)).toEqual(Array.from(layer.call(x, false).data));
    expect(layer.supportsMasking).toBe(true);
    const config = layer.getConfig();
    expect(config).toEqual({
      type: 'LayerNormalization',
      name: 'n',
      axis: [1, 2],
      epsilon: 1e-5,
      center: true,
      scale: true,
      rmsScaling: false,
      betaInitializer: 'zeros',
      gammaInitializer: 'ones',
      betaRegularizer: 'l1',
    });
    expect(createLayer(config).getConfig()).toEqual(config);
  });

  it('reports bad configs and shapes with ConfigErrors', () => {
    expect(() => createLayer({ type: 'LayerNormalization', rms_scaling: true })).toThrow(ConfigError);
    expect(() => createLayer({ type: 'LayerNormalization', epsilon: -1 })).toThrow(/epsilon.*received -1/);
    expect(() => createLayer({ type: 'LayerNormalization', axis: 1.5 })).toThrow(/axis/);
    expect(() => build({ type: 'LayerNormalization', axis: 2 }, [4])).toThrow(/layer "n" \(LayerNormalization\): axis 2 is out of range.*\(None, 4\)/);
  });
});
