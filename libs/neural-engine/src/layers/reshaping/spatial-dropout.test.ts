import { describe, expect, it } from 'vitest';
import { JsBackend } from '../../backend/js-backend.js';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import { testInputs } from '../../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';

const backend = new JsBackend('float64');

function built(config: LayerConfig, inputShape: number[], seed = 1): Layer {
  const layer = createLayer(config);
  layer.build(inputShape, { backend, rng: new Rng(seed) });
  return layer;
}

/**
 * For each (sample, channel): the ratio y/x shared by every step or pixel of that channel, or undefined when the
 * ratio varies within the channel (the input has no zeros, so every ratio is defined).
 */
function channelRatios(x: ArrayLike<number>, y: ArrayLike<number>, batch: number, channels: number): (number | undefined)[] {
  const perSample = x.length / batch;
  const ratios: (number | undefined)[] = [];
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const seen = new Set<number>();
      for (let i = b * perSample + c; i < (b + 1) * perSample; i += channels) seen.add(Math.round((y[i]! / x[i]!) * 1e9) / 1e9);
      ratios.push(seen.size === 1 ? [...seen][0] : undefined);
    }
  }
  return ratios;
}

/** Inputs without zeros, so y/x recovers the mask. */
const nonZero = (n: number) => Array.from(testInputs(n, 2, 7), (v) => (v === 0 ? 0.5 : v));

describe.each([
  { type: 'SpatialDropout1D', sample: [5, 4] },
  { type: 'SpatialDropout2D', sample: [3, 2, 4] },
])('$type', ({ type, sample }) => {
  const channels = sample[sample.length - 1]!;
  const full = (batch: number) => [batch, ...sample];
  const size = (batch: number) => full(batch).reduce((a, b) => a * b, 1);

  it('drops whole channels in training and scales the kept ones by 1/(1 - rate)', () => {
    const rate = 0.4;
    const batch = 6;
    const layer = built({ type, rate }, sample);
    const xs = nonZero(size(batch));
    const y = layer.call(backend.fromValues(full(batch), xs), true);
    const ratios = channelRatios(xs, y.data, batch, channels);
    const kept = (r: number | undefined) => r !== undefined && Math.abs(r - 1 / (1 - rate)) < 1e-8;
    for (const r of ratios) expect(r === 0 || kept(r), `channel ratio ${r}`).toBe(true);
    expect(ratios.some((r) => r === 0)).toBe(true);
    expect(ratios.some(kept)).toBe(true);
  });

  it('drops close to `rate` of the channels', () => {
    const rate = 0.3;
    const batch = 250;
    const layer = built({ type, rate, seed: 9 }, sample);
    const xs = nonZero(size(batch));
    const ratios = channelRatios(xs, layer.call(backend.fromValues(full(batch), xs), true).data, batch, channels);
    const dropped = ratios.filter((r) => r === 0).length / ratios.length;
    // 1000 Bernoulli(0.3) draws: standard deviation 0.0145, so ±0.05 is more than 3 standard deviations.
    expect(Math.abs(dropped - rate)).toBeLessThan(0.05);
  });

  it('is the identity in inference and with rate 0', () => {
    const xs = nonZero(size(2));
    const x = backend.fromValues(full(2), xs);
    expect(Array.from(built({ type, rate: 0.5 }, sample).call(x, false).data)).toEqual(xs);
    expect(Array.from(built({ type, rate: 0 }, sample).call(x, true).data)).toEqual(xs);
  });

  it('sends gradients back through the same channels it kept', () => {
    const rate = 0.5;
    const layer = built({ type, rate }, sample);
    const xs = nonZero(size(4));
    const y = layer.call(backend.fromValues(full(4), xs), true);
    const dx = layer.callBackward(backend.fromValues(full(4), new Array(size(4)).fill(1)));
    expect(Array.from(dx.data)).toEqual(Array.from(y.data, (v, i) => v / xs[i]!));
  });

  it('with a seed, draws the same sequence of masks whatever the model RNG, and a new mask at each call', () => {
    const xs = nonZero(size(4));
    const x = backend.fromValues(full(4), xs);
    const a = built({ type, rate: 0.5, seed: 3 }, sample, 1);
    const b = built({ type, rate: 0.5, seed: 3 }, sample, 2);
    const first = Array.from(a.call(x, true).data);
    expect(Array.from(b.call(x, true).data)).toEqual(first);
    expect(Array.from(a.call(x, true).data)).not.toEqual(first);
  });

  it('rejects an input of the wrong rank, naming the layer and the shape', () => {
    const wrong = sample.slice(1);
    expect(() => built({ type, name: 'sd', rate: 0.5 }, wrong)).toThrow(ConfigError);
    expect(() => built({ type, name: 'sd', rate: 0.5 }, wrong)).toThrow(`layer "sd" (${type})`);
    expect(() => built({ type, name: 'sd', rate: 0.5 }, wrong)).toThrow(`(None, ${wrong.join(', ')})`);
  });

  it('passes the input mask through (Keras supports_masking)', () => {
    const layer = built({ type, rate: 0.5 }, sample);
    const mask = backend.fromValues([2, sample[0]!], Array.from({ length: 2 * sample[0]! }, (_, i) => i % 2));
    layer.inputMask = mask;
    layer.call(backend.fromValues(full(2), nonZero(size(2))), true);
    expect(layer.computeOutputMask()).toBe(mask);
  });

  it('requires a rate in [0, 1)', () => {
    expect(() => createLayer({ type })).toThrow('rate:');
    expect(() => createLayer({ type, rate: 1 })).toThrow('(received 1)');
  });
});
