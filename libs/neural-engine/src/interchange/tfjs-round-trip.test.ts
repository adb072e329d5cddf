import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential } from '../model/sequential.js';
import { Rng } from '../rng.js';
import { exportTfjsModel, type TfjsExport } from './tfjs-export.js';
import { importTfjsArtifacts, importTfjsModel, type ImportedModel, type TfjsArtifacts } from './tfjs-import.js';
import { applyWeights } from './weight-match.js';

/*
 * Round trips against the real TensorFlow.js 4.22: a model built and initialized by TF.js is saved through a custom
 * IOHandler, imported into Kiln, and both predict on the same inputs (rtol 1e-4, atol 1e-5 in float32); the Kiln
 * model is then exported and loaded back by tf.loadLayersModel, which must predict the same again.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What TF.js's save handler receives. */
async function saveTfjs(model: tf.LayersModel): Promise<TfjsArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved as unknown as TfjsArtifacts;
}

/** Loads an export with tf.loadLayersModel, reading model.json and the shard files as a server would serve them. */
async function loadExport(exported: TfjsExport): Promise<tf.LayersModel> {
  // The JSON goes through text, as a file would.
  const modelJson = JSON.parse(JSON.stringify(exported.modelJson)) as typeof exported.modelJson;
  const files = new Map(exported.weightFiles.map((f) => [f.name, f.data]));
  const chunks = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => files.get(p)!));
  const data = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.byteLength;
  }
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
    weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
    weightData: data.buffer,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy ?? undefined,
  }));
}

/** Random inputs of a per-sample shape, batch 3, including negatives. */
function inputs(shape: number[], seed: number): { shape: number[]; data: Float32Array } {
  const rng = new Rng(seed);
  const full = [3, ...shape];
  const data = new Float32Array(full.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() * 4 - 2;
  return { shape: full, data };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(expected[i]!);
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) {
      throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
    }
  }
}

function tfPredict(model: tf.LayersModel, x: { shape: number[]; data: Float32Array }): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync() as Float32Array);
}

/** Builds the Kiln model of an import and loads its weights. */
function kilnModel(imported: ImportedModel): Sequential {
  const model = Sequential.fromDefinition(imported.definition);
  applyWeights(model, imported.weights);
  return model;
}

/** TF.js model → Kiln (same predictions) → TF.js (same predictions). Returns the Kiln model. */
async function roundTrip(build: () => tf.LayersModel, inputShape: number[]): Promise<{ kiln: Sequential; imported: ImportedModel; exported: TfjsExport }> {
  const original = build();
  const x = inputs(inputShape, 7);
  const expected = tfPredict(original, x);
  const imported = importTfjsArtifacts(await saveTfjs(original));
  const kiln = kilnModel(imported);
  expectClose(kiln.predict(x).data, expected);
  const exported = exportTfjsModel(kiln);
  const reloaded = await loadExport(exported);
  expectClose(tfPredict(reloaded, x), expected);
  // Weights reach TF.js by name, in Keras order.
  expect(reloaded.weights.map((w) => w.originalName)).toEqual(kiln.weightManifest().map((w) => w.name));
  return { kiln, imported, exported };
}

describe('TensorFlow.js round trips: dense models', () => {
  it('Dense + activations + Dropout + Flatten + Reshape + LeakyReLU + PReLU', async () => {
    const { imported } = await roundTrip(() => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 6, inputShape: [4], activation: 'tanh', kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }));
      m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
      m.add(tf.layers.dropout({ rate: 0.3 }));
      m.add(tf.layers.reshape({ targetShape: [2, 3] }));
      m.add(tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }) }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }) }));
      return m;
    }, [4]);
    const layers = (imported.definition as { layers: Record<string, unknown>[] }).layers;
    expect(layers.map((l) => l.type)).toEqual(['Dense', 'LeakyReLU', 'Dropout', 'Reshape', 'PReLU', 'Flatten', 'Dense']);
    expect(layers[0]).toMatchObject({ inputShape: [4], activation: 'tanh', kernelRegularizer: { type: 'L1L2', l1: 0, l2: 0.01 } });
    expect(layers[1]).toMatchObject({ negativeSlope: 0.2 });
    expect(layers[6]).toMatchObject({ kernelConstraint: { type: 'MaxNorm', maxValue: 2, axis: 0 } });
  });

  it('Activation, ReLU, ELU, Softmax, GaussianNoise, GaussianDropout, AlphaDropout layers', async () => {
    await roundTrip(() => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 5, inputShape: [3] }));
      m.add(tf.layers.activation({ activation: 'selu' }));
      m.add(tf.layers.gaussianNoise({ stddev: 0.1 }));
      m.add(tf.layers.reLU({ maxValue: 1.5 }));
      m.add(tf.layers.gaussianDropout({ rate: 0.2 }));
      m.add(tf.layers.dense({ units: 4, activation: 'softplus', useBias: false }));
      m.add(tf.layers.elu());
      m.add(tf.layers.alphaDropout({ rate: 0.1 }));
      m.add(tf.layers.dense({ units: 4, activation: 'sigmoid', kernelInitializer: 'heUniform' }));
      m.add(tf.layers.softmax({ axis: -1 }));
      return m;
    }, [3]);
  });

  it('an InputLayer-first model and every TF.js activation Kiln exports', async () => {
    for (const activation of ['relu6', 'softsign', 'swish', 'mish', 'gelu', 'logSoftmax', 'elu', 'linear'] as const) {
      await roundTrip(() => {
        const m = tf.sequential();
        m.add(tf.layers.inputLayer({ inputShape: [3] }));
        // TF.js's typings omit logSoftmax, which its registry has.
        m.add(tf.layers.dense({ units: 4, activation: activation as 'elu' }));
        return m;
      }, [3]);
    }
  });
});

describe('TensorFlow.js model.json with weight files', () => {
  it('imports model.json plus shards as tf.io writes them, and the export shards at 4 MiB', async () => {
    // 1,100 × 1,000 + 1,000 parameters = 4.4 MB of float32: two shards.
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 1000, inputShape: [1100], activation: 'relu' }));
    m.add(tf.layers.dense({ units: 2 }));
    const artifacts = await saveTfjs(m);
    const kiln = kilnModel(importTfjsArtifacts(artifacts));
    const exported = exportTfjsModel(kiln);
    expect(exported.weightFiles.map((f) => f.name)).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(exported.weightFiles[0]!.data.byteLength).toBe(4 * 1024 * 1024);
    const total = (1100 * 1000 + 1000 + 1000 * 2 + 2) * 4;
    expect(exported.weightFiles[1]!.data.byteLength).toBe(total - 4 * 1024 * 1024);
    // The shards' concatenation is TF.js's own weight buffer, byte for byte (same order, little-endian float32).
    const joined = new Uint8Array(total);
    joined.set(exported.weightFiles[0]!.data, 0);
    joined.set(exported.weightFiles[1]!.data, 4 * 1024 * 1024);
    const original = new Uint8Array(artifacts.weightData as ArrayBuffer);
    expect(Buffer.from(joined).equals(Buffer.from(original))).toBe(true);
    // And our importer reads its own model.json + shards back to the same model.
    const files = Object.fromEntries(exported.weightFiles.map((f) => [f.name, f.data]));
    const again = kilnModel(importTfjsModel(JSON.stringify(exported.modelJson), files));
    const x = inputs([1100], 3);
    expectClose(again.predict(x).data, kiln.predict(x).data);
    const reloaded = await loadExport(exported);
    expectClose(tfPredict(reloaded, x), tfPredict(m, x));
    expect(exported.modelJson).toMatchObject({ format: 'layers-model', generatedBy: 'Kiln neural engine', convertedBy: 'Kiln interchange' });
  });
});
