import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import type { ContractSample } from './contract-sample.js';
import { convolutionSamples } from './convolution/contract-samples.js';
import { type Layer, type LayerConfig, createLayer, layerTypes } from './index.js';
import { mergeSamples } from './merge/contract-samples.js';
import { normalizationSamples } from './normalization/contract-samples.js';
import { recurrentSamples } from './recurrent/contract-samples.js';
import { reshapingSamples } from './reshaping/contract-samples.js';
import { testBackend } from '../testing/test-backend.js';
import type { Backend } from '../backend/backend.js';

/*
 * One harness run over every registered layer type, through the multi-tensor protocol functional graphs use (which
 * one-input layers implement by default). A registered type without a sample fails the first test, so a new layer
 * must add at least one sample (config, per-sample input shape(s), expected parameter count) to its family's
 * contract-samples.ts.
 */

const coreSamples: Record<string, ContractSample[]> = {
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

const samples: Record<string, ContractSample[]> = {
  ...coreSamples,
  ...convolutionSamples,
  ...recurrentSamples,
  ...normalizationSamples,
  ...reshapingSamples,
  ...mergeSamples,
};

function randomTensor(backend: Backend, shape: Shape, rng: Rng): Tensor {
  return backend.fromValues(shape, Array.from({ length: shapeSize(shape) }, () => rng.normal()));
}

function inputShapesOf(sample: ContractSample): Shape[] {
  return sample.inputShapes ?? [sample.inputShape!];
}

/** A batch of inputs for a sample: random normals, or the sample's own values (token ids...). */
function inputsFor(sample: ContractSample, backend: Backend, seed: number): Tensor[] {
  const rng = new Rng(seed);
  return inputShapesOf(sample).map((shape, k) => {
    const full = [BATCH, ...shape];
    if (!sample.inputValues) return randomTensor(backend, full, rng);
    return backend.fromValues(full, Array.from({ length: shapeSize(full) }, (_, i) => sample.inputValues!(k, i)));
  });
}

/** Creates and builds a sample's layer, named as a model would name it. */
function buildSample(sample: ContractSample, backend: Backend, rng: Rng, config: LayerConfig = sample.config): Layer {
  const layer = createLayer({ name: 'under_test', ...config });
  layer.buildMany(inputShapesOf(sample), { backend, rng });
  return layer;
}

const dataOf = (ts: Tensor[]): number[][] => ts.map((t) => Array.from(t.data));

function weightsOf(layer: Layer): Float32Array[] {
  return layer.variables.map((v) => Float32Array.from(v.value.data));
}

describe('layer contract', () => {
  it('has at least one sample for every registered layer type', () => {
    expect(layerTypes.filter((type) => !(samples[type]?.length))).toEqual([]);
  });

  const cases = Object.entries(samples).flatMap(([type, list]) => list.map((sample, i) => ({ type, i, sample })));

  describe.each(cases)('$type sample $i', ({ sample }) => {
    it('output shapes match computeOutputShapes and countParams the expected count', () => {
      const backend = testBackend();
      const layer = buildSample(sample, backend, new Rng(SEED));
      const xs = inputsFor(sample, backend, 1);
      const expected = layer.computeOutputShapes(inputShapesOf(sample)).map((s) => [BATCH, ...s]);
      expect(layer.callMany(xs, false).map((y) => y.shape)).toEqual(expected);
      expect(layer.callMany(xs, true).map((y) => y.shape)).toEqual(expected);
      expect(layer.outputShapes.map((s) => [BATCH, ...s])).toEqual(expected);
      expect(layer.countParams()).toBe(sample.params);
    });

    it('round-trips getConfig through createLayer, and the copy computes the same outputs', () => {
      const backend = testBackend();
      const layer = buildSample(sample, backend, new Rng(SEED));
      const config = JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig;
      expect(config.type).toBe(layer.className);
      // The copy is built from an RNG in the same state, so unseeded random layers draw the same noise too.
      const copy = buildSample(sample, backend, new Rng(SEED), config);
      expect(copy.getConfig()).toEqual(config);
      expect(copy.className).toBe(layer.className);
      copy.variables.forEach((v, k) => v.value.data.set(layer.variables[k]!.value.data));
      const xs = inputsFor(sample, backend, 2);
      expect(dataOf(copy.callMany(xs, false))).toEqual(dataOf(layer.callMany(xs, false)));
      expect(dataOf(copy.callMany(xs, true))).toEqual(dataOf(layer.callMany(xs, true)));
    });

    it('is deterministic in inference', () => {
      const backend = testBackend();
      const layer = buildSample(sample, backend, new Rng(SEED));
      const xs = inputsFor(sample, backend, 3);
      const first = dataOf(layer.callMany(xs, false));
      // A training pass in between must not change inference, unless it updates state the layer keeps in
      // non-trainable variables (BatchNormalization's moving statistics).
      const keepsState = layer.trainable && layer.variables.some((v) => !v.trainable);
      if (!keepsState) layer.callMany(xs, true);
      expect(dataOf(layer.callMany(xs, false))).toEqual(first);
    });

    it('takes one SGD step that changes every trainable weight and lowers the loss', () => {
      const backend = testBackend();
      const rng = new Rng(SEED);
      const layer = buildSample(sample, backend, rng);
      const xs = inputsFor(sample, backend, 4);
      const rs = layer.outputShapes.map((s, k) => randomTensor(backend, [BATCH, ...s], new Rng(5 + k)));
      const state = rng.getState();
      // loss = Σ_k Σ y_k·r_k (+ the activity penalty): its gradient with respect to y_k is r_k.
      const loss = (): number => {
        rng.setState(state); // the same dropout/noise draw before and after the step
        const ys = layer.callMany(xs, true);
        let s = layer.activityRegularizer ? layer.activityPenalty : 0;
        ys.forEach((y, k) => {
          for (let i = 0; i < y.size; i++) s += y.data[i]! * rs[k]!.data[i]!;
        });
        return s;
      };
      const before = weightsOf(layer);
      const loss0 = loss();
      const dxs = layer.callBackwardMany(rs);
      expect(dxs.map((d) => d.shape)).toEqual(xs.map((x) => x.shape));
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
      expect(layer.trainableVariables).toEqual(layer.variables.filter((v) => v.trainable));
      layer.variables.forEach((v, k) => {
        if (!v.trainable) return;
        expect(after[k], `${v.name} changed`).not.toEqual(before[k]);
        expect(Array.from(v.grad.data).every((g) => g === 0)).toBe(true);
      });
      if (layer.trainableVariables.length > 0) expect(loss()).toBeLessThan(loss0);
    });
  });
});
