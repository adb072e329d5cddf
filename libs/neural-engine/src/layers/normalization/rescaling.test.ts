import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import type { Shape } from '../../tensor.js';
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';
import { Rescaling } from './rescaling.js';

/* Rescaling against hand computations for per-channel lists (TF.js takes scalars only), defaults and errors. */

function build(config: LayerConfig, inputShape: Shape): Layer {
  const layer = createLayer({ name: 'n', ...config });
  layer.build(inputShape, { backend, rng: new Rng(1) });
  return layer;
}

describe('Rescaling (hand-derived)', () => {
  it('computes x·scale + offset, with per-channel lists broadcast over the last axis', () => {
    const layer = build({ type: 'Rescaling', scale: [1, 0.5, -2], offset: [0, 1, 2] }, [2, 3]);
    const xs = [1, 2, 3, 4, 5, 6, -1, -2, -3, 0, 0, 0];
    const y = layer.call(backend.fromValues([2, 2, 3], xs), false);
    expect(Array.from(y.data)).toEqual(xs.map((v, i) => v * [1, 0.5, -2][i % 3]! + [0, 1, 2][i % 3]!));
    const dx = layer.callBackward(backend.fromValues([2, 2, 3], new Array(12).fill(1)));
    expect(Array.from(dx.data)).toEqual(xs.map((_, i) => [1, 0.5, -2][i % 3]!));
  });

  it('defaults offset to 0, requires scale, and rejects lists that do not broadcast', () => {
    const layer = new Rescaling({ scale: 1 / 255 });
    expect(layer.getConfig()).toEqual({ type: 'Rescaling', scale: 1 / 255, offset: 0 });
    expect(() => createLayer({ type: 'Rescaling' })).toThrow(/scale/);
    expect(() => build({ type: 'Rescaling', scale: [1, 2] }, [3])).toThrow(/scale has 2 values/);
  });
});
