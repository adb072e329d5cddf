import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import { Rng } from '../rng.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import { type Layer, type LayerConfig, createLayer, layerTypes } from './index.js';

/*
 * One harness run over every registered layer type. A registered type without a sample here fails the first test,
 * so a new layer must add at least one sample (config, per-sample input shape, expected parameter count).
 */
interface Sample {
  config: LayerConfig;
  inputShape: Shape;
  /** countParams after build, worked out by hand from the layer's definition. */
  params: number;
}

const samples: Record<string, Sample[]> = {
  InputLayer: [
    { config: { type: 'InputLayer', shape: [3, 4] }, inputShape: [3, 4], params: 0 },
    { config: { type: 'Input', shape: [5], batchSize: 8 }, inputShape: [5], params: 0 },
  ],
  Dense: [
    { config: { type: 'Dense', units: 3, activation: 'tanh' }, inputShape: [4], params: 4 * 3 + 3 },
    {
      config: { type: 'Dense', units: 2, useBias: false, kernelRegularizer: 'l2', activityRegularizer: { type: 'L1', l1: 0.01 } },
      inputShape: [3, 4],
      params: 4 * 2,
    },
    { config: { type: 'Dense', units: 2, trainable: false }, inputShape: [4], params: 4 * 2 + 2 },
  ],
  Activation: [
    { config: { type: 'Activation', activation: 'tanh' }, inputShape: [4], params: 0 },
    { config: { type: 'Activation', activation: 'softmax' }, inputShape: [2, 3], params: 0 },
  ],
  ReLU: [
    { config: { type: 'ReLU' }, inputShape: [6], params: 0 },
    { config: { type: 'ReLU', maxValue: 1.5, negativeSlope: 0.1, threshold: 0.2 }, inputShape: [2, 3], params: 0 },
  ],
  LeakyReLU: [
    { config: { type: 'LeakyReLU' }, inputShape: [6], params: 0 },
    { config: { type: 'LeakyReLU', negativeSlope: 0.05 }, inputShape: [2, 3], params: 0 },
  ],
  PReLU: [
    { config: { type: 'PReLU' }, inputShape: [3, 4], params: 12 },
    { config: { type: 'PReLU', sharedAxes: [1] }, inputShape: [3, 4], params: 4 },
    { config: { type: 'PReLU', alphaInitializer: { type: 'Constant', value: 0.25 }, sharedAxes: [1, 2] }, inputShape: [2, 3, 4], params: 4 },
    { config: { type: 'PReLU', trainable: false }, inputShape: [5], params: 5 },
  ],
  ELU: [
    { config: { type: 'ELU' }, inputShape: [6], params: 0 },
    { config: { type: 'ELU', alpha: 0.5 }, inputShape: [2, 3], params: 0 },
  ],
  Softmax: [
    { config: { type: 'Softmax' }, inputShape: [5], params: 0 },
    { config: { type: 'Softmax', axis: 1 }, inputShape: [3, 4], params: 0 },
    { config: { type: 'Softmax', axis: [1, -1] }, inputShape: [3, 4], params: 0 },
  ],
  Dropout: [
    { config: { type: 'Dropout', rate: 0.3 }, inputShape: [8], params: 0 },
    { config: { type: 'Dropout', rate: 0.5, noiseShape: [null, 1, 4], seed: 3 }, inputShape: [3, 4], params: 0 },
  ],
  GaussianDropout: [{ config: { type: 'GaussianDropout', rate: 0.2 }, inputShape: [8], params: 0 }],
  GaussianNoise: [{ config: { type: 'GaussianNoise', stddev: 0.1, seed: 5 }, inputShape: [8], params: 0 }],
  AlphaDropout: [{ config: { type: 'AlphaDropout', rate: 0.2 }, inputShape: [2, 4], params: 0 }],
  ActivityRegularization: [{ config: { type: 'ActivityRegularization', l1: 0.01, l2: 0.02 }, inputShape: [6], params: 0 }],
  Flatten: [
    { config: { type: 'Flatten' }, inputShape: [2, 3, 4], params: 0 },
    { config: { type: 'Flatten', dataFormat: 'channels_last' }, inputShape: [], params: 0 },
  ],
  Reshape: [
    { config: { type: 'Reshape', targetShape: [2, -1] }, inputShape: [3, 4], params: 0 },
    { config: { type: 'Reshape', targetShape: [12] }, inputShape: [2, 2, 3], params: 0 },
  ],
};

const BATCH = 5;
const SEED = 42;

function randomTensor(backend: JsBackend, shape: Shape, rng: Rng): Tensor {
  return backend.fromValues(shape, Array.from({ length: shapeSize(shape) }, () => rng.normal()));
}

/** Creates and builds a sample's layer, named as a model would name it. */
function buildSample(sample: Sample, backend: JsBackend, rng: Rng, config: LayerConfig = sample.config): Layer {
  const layer = createLayer({ name: 'under_test', ...config });
  layer.build(sample.inputShape, { backend, rng });
  return layer;
}

function weightsOf(layer: Layer): Float32Array[] {
  return layer.variables.map((v) => Float32Array.from(v.value.data));
}

describe('layer contract', () => {
  it('has at least one sample for every registered layer type', () => {
    expect(layerTypes.filter((type) => !(samples[type]?.length))).toEqual([]);
  });

  const cases = Object.entries(samples).flatMap(([type, list]) => list.map((sample, i) => ({ type, i, sample })));

  describe.each(cases)('$type sample $i', ({ sample }) => {
    it('output shape matches computeOutputShape and countParams the expected count', () => {
      const backend = new JsBackend();
      const layer = buildSample(sample, backend, new Rng(SEED));
      const x = randomTensor(backend, [BATCH, ...sample.inputShape], new Rng(1));
      const expected = [BATCH, ...layer.computeOutputShape(sample.inputShape)];
      expect(layer.call(x, false).shape).toEqual(expected);
      expect(layer.call(x, true).shape).toEqual(expected);
      expect([BATCH, ...layer.outputShape]).toEqual(expected);
      expect(layer.countParams()).toBe(sample.params);
    });

    it('round-trips getConfig through createLayer, and the copy computes the same outputs', () => {
      const backend = new JsBackend();
      const layer = buildSample(sample, backend, new Rng(SEED));
      const config = JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig;
      expect(config.type).toBe(layer.className);
      // The copy is built from an RNG in the same state, so unseeded random layers draw the same noise too.
      const copy = buildSample(sample, backend, new Rng(SEED), config);
      expect(copy.getConfig()).toEqual(config);
      expect(copy.className).toBe(layer.className);
      copy.variables.forEach((v, k) => v.value.data.set(layer.variables[k]!.value.data));
      const x = randomTensor(backend, [BATCH, ...sample.inputShape], new Rng(2));
      expect(Array.from(copy.call(x, false).data)).toEqual(Array.from(layer.call(x, false).data));
      expect(Array.from(copy.call(x, true).data)).toEqual(Array.from(layer.call(x, true).data));
    });

    it('is deterministic in inference', () => {
      const backend = new JsBackend();
      const layer = buildSample(sample, backend, new Rng(SEED));
      const x = randomTensor(backend, [BATCH, ...sample.inputShape], new Rng(3));
      const first = Array.from(layer.call(x, false).data);
      layer.call(x, true); // a training pass in between must not change inference
      expect(Array.from(layer.call(x, false).data)).toEqual(first);
    });

    it('takes one SGD step that changes every trainable weight and lowers the loss', () => {
      const backend = new JsBackend();
      const rng = new Rng(SEED);
      const layer = buildSample(sample, backend, rng);
      const x = randomTensor(backend, [BATCH, ...sample.inputShape], new Rng(4));
      const r = randomTensor(backend, [BATCH, ...layer.outputShape], new Rng(5));
      const state = rng.getState();
      // loss = Σ y·r (+ the activity penalty): its gradient with respect to y is r.
      const loss = (): number => {
        rng.setState(state); // the same dropout/noise draw before and after the step
        const y = layer.call(x, true);
        let s = layer.activityRegularizer ? layer.activityPenalty : 0;
        for (let i = 0; i < y.size; i++) s += y.data[i]! * r.data[i]!;
        return s;
      };
      const before = weightsOf(layer);
      const loss0 = loss();
      const dx = layer.callBackward(r);
      expect(dx.shape).toEqual(x.shape);
      const lr = 1e-2;
      for (const v of layer.trainableVariables) {
        backend.axpyInPlace(v.value, -lr, v.grad);
        backend.fill(v.grad, 0);
      }
      const after = weightsOf(layer);
      if (sample.config.trainable === false) {
        expect(layer.trainableVariables).toEqual([]);
        expect(after).toEqual(before);
        return;
      }
      expect(layer.trainableVariables.length).toBe(layer.variables.length);
      layer.variables.forEach((v, k) => {
        expect(after[k], `${v.name} changed`).not.toEqual(before[k]);
        expect(Array.from(v.grad.data).every((g) => g === 0)).toBe(true);
      });
      if (layer.trainableVariables.length > 0) expect(loss()).toBeLessThan(loss0);
    });
  });
});
