import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContractSample } from '../layers/contract-sample.js';
import { convolutionSamples } from '../layers/convolution/contract-samples.js';
import { layerTypes } from '../layers/index.js';
import type { LayerConfig } from '../layers/layer.js';
import { mergeSamples } from '../layers/merge/contract-samples.js';
import { normalizationSamples } from '../layers/normalization/contract-samples.js';
import { recurrentSamples } from '../layers/recurrent/contract-samples.js';
import { reshapingSamples } from '../layers/reshaping/contract-samples.js';
import { ConfigError } from '../errors.js';
import { modelFromDefinition } from '../model/from-definition.js';
import type { Model } from '../model/model.js';
import { Rng } from '../rng.js';
import { shapeSize } from '../tensor.js';
import { TFJS_LAYER_CLASSES } from './layer-classes.js';
import { exportKerasJson, exportTfjsModel } from './tfjs-export.js';
import { importKerasJson, importTfjsModel } from './tfjs-import.js';
import { applyWeights } from './weight-match.js';

/*
 * Every registered layer type, through every contract sample of its family (plus core samples here): the sample is
 * the one layer of a functional model, which is exported and imported back (Keras 3 JSON; TF.js model.json + shards)
 * and must compute exactly what it computed before. Where TF.js has the class, the TF.js export is also loaded by
 * tf.loadLayersModel and must agree within rtol 1e-4 / atol 1e-5, or fail to export with a ConfigError that names
 * what TF.js lacks.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const coreSamples: Record<string, ContractSample[]> = {
    // TF.js applies a constraint whenever a weight is written (loading included), Kiln after optimizer steps: a
  // constraint the random weights already satisfy keeps the comparison about the export.
  Dense: [{ config: { type: 'Dense', units: 3, activation: 'tanh', kernelRegularizer: 'l1', kernelConstraint: { type: 'MaxNorm', maxValue: 100 } }, inputShape: [2, 4], params: 15 }],
  Activation: [{ config: { type: 'Activation', activation: 'softmax' }, inputShape: [2, 3], params: 0 }],
  ReLU: [{ config: { type: 'ReLU', maxValue: 1.5 }, inputShape: [4], params: 0 }, { config: { type: 'ReLU', negativeSlope: 0.1, threshold: 0.2 }, inputShape: [4], params: 0 }],
  LeakyReLU: [{ config: { type: 'LeakyReLU', negativeSlope: 0.05 }, inputShape: [2, 3], params: 0 }],
  PReLU: [{ config: { type: 'PReLU', sharedAxes: [1], alphaInitializer: { type: 'RandomUniform', seed: 1 } }, inputShape: [3, 4], params: 4 }],
  ELU: [{ config: { type: 'ELU' }, inputShape: [3], params: 0 }, { config: { type: 'ELU', alpha: 0.5 }, inputShape: [3], params: 0 }],
  Softmax: [{ config: { type: 'Softmax', axis: 1 }, inputShape: [3, 4], params: 0 }],
  Dropout: [{ config: { type: 'Dropout', rate: 0.3, noiseShape: [null, 1, 3], seed: 4 }, inputShape: [2, 3], params: 0 }],
  GaussianDropout: [{ config: { type: 'GaussianDropout', rate: 0.2 }, inputShape: [3], params: 0 }],
  GaussianNoise: [{ config: { type: 'GaussianNoise', stddev: 0.2 }, inputShape: [3], params: 0 }],
  AlphaDropout: [{ config: { type: 'AlphaDropout', rate: 0.2 }, inputShape: [3], params: 0 }],
  ActivityRegularization: [{ config: { type: 'ActivityRegularization', l1: 0.01, l2: 0.02 }, inputShape: [3], params: 0 }],
  Flatten: [{ config: { type: 'Flatten' }, inputShape: [2, 3], params: 0 }],
  Reshape: [{ config: { type: 'Reshape', targetShape: [3, -1] }, inputShape: [2, 3], params: 0 }],
};

const families: Record<string, ContractSample[]>[] = [coreSamples, convolutionSamples, mergeSamples, normalizationSamples, recurrentSamples, reshapingSamples];
const samples: [string, ContractSample][] = families.flatMap((f) => Object.entries(f).flatMap(([type, list]) => list.map((s, i): [string, ContractSample] => [`${type} #${i + 1}`, s])));

/** The sample as the one layer of a functional model with inputs in0, in1... */
function modelOf(sample: ContractSample): Model {
  const shapes = sample.inputShapes ?? [sample.inputShape!];
  const { inputShape: _ignored, ...config } = sample.config as LayerConfig & { inputShape?: unknown };
  void _ignored;
  return modelFromDefinition({
    type: 'Functional',
    name: 'sample',
    seed: 3,
    inputs: shapes.map((s, k) => ({ name: `in${k}`, shape: [...s] })),
    layers: [{ ...config, type: config.type === 'Input' ? 'InputLayer' : config.type, name: 'layer', inbound: shapes.map((_, k) => `in${k}`) }],
    outputs: ['layer'],
  });
}

/** Batch-2 inputs: the sample's own values when it has them (token ids), else uniform in [-2, 2). */
function inputsOf(sample: ContractSample): { shape: number[]; data: Float32Array }[] {
  const rng = new Rng(5);
  return (sample.inputShapes ?? [sample.inputShape!]).map((s, k) => {
    const data = new Float32Array(2 * shapeSize(s));
    for (let i = 0; i < data.length; i++) data[i] = sample.inputValues ? sample.inputValues(k, i) : rng.uniform() * 4 - 2;
    return { shape: [2, ...s], data };
  });
}

/** Weights made non-trivial (initializers such as zeros would hide a transposed or swapped weight). */
function randomizeWeights(model: Model): void {
  const rng = new Rng(9);
  model.setWeights(model.weightManifest().map((w) => Float32Array.from({ length: shapeSize(w.shape) }, () => rng.uniform() * 1.6 - 0.8)));
  // Variances must stay positive.
  const manifest = model.weightManifest();
  model.setWeights(model.getWeights().map((v, i) => (manifest[i]!.name.endsWith('moving_variance') ? v.map((x) => Math.abs(x) + 0.5) : v)));
}

const predict = (model: Model, xs: { shape: number[]; data: Float32Array }[]) => model.predictOutputs(xs.length === 1 ? xs[0]! : xs).map((t) => Array.from(t.data));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(expected[i]!);
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) throw new Error(`${label}: element ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
  }
}

/**
 * Samples whose TF.js export is refused on purpose (the message names what TF.js lacks), or that TF.js loads but
 * computes differently from Keras 3 (Kiln follows Keras 3): the reason is stated for each.
 */
const TFJS_REFUSED = /TensorFlow\.js('s| has no)/;

describe('every registered layer type survives export and import', () => {
  it('every registered type has a sample here or in its family', () => {
    const covered = new Set(samples.map(([name]) => name.split(' #')[0]));
    expect(layerTypes.filter((t) => !covered.has(t) && t !== 'InputLayer')).toEqual([]);
  });

  for (const [name, sample] of samples) {
    it(`${name}: Keras 3 JSON and TF.js model.json`, async () => {
      const model = modelOf(sample);
      randomizeWeights(model);
      const xs = inputsOf(sample);
      const expected = predict(model, xs);

      const fromKeras = modelFromDefinition(importKerasJson(exportKerasJson(model)));
      fromKeras.setWeights(model.getWeights());
      expect(fromKeras.weightManifest()).toEqual(model.weightManifest());
      expect(predict(fromKeras, xs)).toEqual(expected);

      let exported;
      try {
        exported = exportTfjsModel(model);
      } catch (e) {
        // Only a refusal that says what TF.js lacks is acceptable, and only for something the sample asks for.
        expect(e).toBeInstanceOf(ConfigError);
        const message = (e as Error).message;
        expect(message).toMatch(TFJS_REFUSED);
        const written = JSON.stringify(sample.config);
        const argument = /supports only (\w+)/.exec(message)?.[1];
        const activation = /has no activation "(\w+)"/.exec(message)?.[1];
        const layerClass = /has no layer class (\w+)/.exec(message)?.[1];
        if (argument) {
          // GRU's resetAfter defaults to true in Kiln (Keras 3), so a sample need not write it.
          const camel = argument.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
          expect(written.includes(`"${camel}"`) || (camel === 'resetAfter' && written.includes('"GRU"')), message).toBe(true);
        } else if (activation) {
          expect(written, message).toContain(`"${activation}"`);
        } else {
          expect(layerClass, message).toBeDefined();
          expect(TFJS_LAYER_CLASSES.has(layerClass!)).toBe(false);
        }
        return;
      }
      expect(TFJS_LAYER_CLASSES.has(sample.config.type === 'Input' ? 'InputLayer' : sample.config.type)).toBe(true);
      const files = Object.fromEntries(exported.weightFiles.map((f) => [f.name, f.data]));
      const imported = importTfjsModel(JSON.stringify(exported.modelJson), files);
      const fromTfjs = modelFromDefinition(imported.definition);
      applyWeights(fromTfjs, imported.weights);
      expect(predict(fromTfjs, xs)).toEqual(expected);

      const data = new Uint8Array(exported.weightFiles.reduce((n, f) => n + f.data.byteLength, 0));
      let offset = 0;
      for (const f of exported.weightFiles) {
        data.set(f.data, offset);
        offset += f.data.byteLength;
      }
      const json = JSON.parse(JSON.stringify(exported.modelJson));
      const tfModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: data.buffer }));
      const out = tf.tidy(() => {
        const ys = tfModel.predict(xs.length === 1 ? tf.tensor(xs[0]!.data, xs[0]!.shape) : xs.map((x) => tf.tensor(x.data, x.shape)));
        return (Array.isArray(ys) ? ys : [ys]).map((t) => Array.from(t.dataSync()));
      });
      expectClose(out[0]!, expected[0]!, `${name} in TF.js`);
    });
  }
});
