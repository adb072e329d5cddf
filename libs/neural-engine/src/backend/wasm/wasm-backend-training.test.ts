import { describe, expect, it } from 'vitest';
import { Sequential } from '../../model/sequential.js';
import type { ModelDefinition } from '../../model/definition.js';
import { accuracyOf, readCsvDataset } from '../../testing/datasets.js';
import type { Backend } from '../backend.js';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * Models trained on WasmBackend: the digits MLP reaches the accuracy band it reaches on JsBackend, a small convnet
 * (convolution, max and average pooling) learns, two seeded runs give bitwise-identical weights, and the staging
 * memory stops growing once the shapes repeat.
 */

type LayerDefinition = Extract<ModelDefinition, { type: 'Sequential' }>['layers'][number];

const train = readCsvDataset('digits_train.csv', 16);
const test = readCsvDataset('digits_test.csv', 16);

const MLP: LayerDefinition[] = [
  { type: 'Dense', units: 64, activation: 'relu', inputShape: [64] },
  { type: 'Dense', units: 64, activation: 'relu' },
  { type: 'Dense', units: 10, activation: 'softmax' },
];

// Rows of 64 pixels are reshaped to 8x8x1 by the model's input; 'same' padding keeps the first pooling even.
const CONVNET: LayerDefinition[] = [
  { type: 'InputLayer', shape: [8, 8, 1] },
  { type: 'Conv2D', filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' },
  { type: 'MaxPooling2D', poolSize: 2 },
  { type: 'Conv2D', filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' },
  { type: 'AveragePooling2D', poolSize: 2 },
  { type: 'Flatten' },
  { type: 'Dropout', rate: 0.25 },
  { type: 'Dense', units: 10, activation: 'softmax' },
];

function model(layers: LayerDefinition[], backend: Backend, seed: number): Sequential {
  const m = Sequential.fromDefinition({ type: 'Sequential', seed, layers }, { backend });
  m.compile({ optimizer: { type: 'Adam', learningRate: 0.002 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const weightBytes = (m: Sequential): Buffer[] => m.getWeights().map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength));

describe('training on WasmBackend', () => {
  it('the digits MLP reaches the band it reaches on JsBackend (>= 0.95)', async () => {
    const accuracies: Record<string, number> = {};
    for (const [name, backend] of [['js', new JsBackend('float32')], ['wasm', WasmBackend.create()]] as const) {
      const m = model(MLP, backend, 1);
      await m.fit(train.x, train.y, { epochs: 20, batchSize: 32 });
      accuracies[name] = accuracyOf(m.predict(test.x).data, 10, test.y);
    }
    console.log(`digits MLP test accuracy after 20 epochs: js ${accuracies.js!.toFixed(4)}, wasm ${accuracies.wasm!.toFixed(4)}`);
    expect(accuracies.wasm).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(accuracies.wasm! - accuracies.js!)).toBeLessThanOrEqual(0.02);
  }, 120_000);

  it('a small convnet (conv, max and average pooling) learns the digits with every op in wasm, as on JsBackend', async () => {
    const accuracies: Record<string, number> = {};
    for (const [name, backend] of [['js', new JsBackend('float32')], ['wasm', WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0 })]] as const) {
      const m = model(CONVNET, backend, 3);
      await m.fit(train.x, train.y, { epochs: 10, batchSize: 32 });
      accuracies[name] = accuracyOf(m.predict(test.x).data, 10, test.y);
    }
    console.log(`convnet on 8x8 digits, test accuracy after 10 epochs: js ${accuracies.js!.toFixed(4)}, wasm ${accuracies.wasm!.toFixed(4)}`);
    expect(accuracies.wasm).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(accuracies.wasm! - accuracies.js!)).toBeLessThanOrEqual(0.02);
  }, 120_000);

  it('two seeded runs give bitwise-identical weights', async () => {
    const runs = [0, 1].map(async () => {
      const m = model(CONVNET, WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0 }), 7);
      await m.fit(train.x.slice(0, 320), train.y.slice(0, 320), { epochs: 2, batchSize: 32 });
      return weightBytes(m);
    });
    const [a, b] = await Promise.all(runs);
    expect(a!.length).toBe(b!.length);
    a!.forEach((w, i) => expect(w.equals(b![i]!), `weight ${i}`).toBe(true));
  }, 120_000);

  it('the staging memory stops growing after the first steps (200 steps)', () => {
    const backend = WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, initialBytes: 2 ** 16 });
    const m = model(CONVNET, backend, 9);
    const batch = 32;
    const sizes: { memory: number; staging: number }[] = [];
    for (let step = 0; step < 200; step++) {
      const start = (step * batch) % (train.x.length - batch);
      m.trainOnBatch(train.x.slice(start, start + batch), train.y.slice(start, start + batch));
      sizes.push({ memory: backend.memoryBytes, staging: backend.stagingFloats });
    }
    console.log(`staging ${sizes[0]!.staging} floats after step 1, ${sizes[199]!.staging} after step 200; memory ${sizes[199]!.memory} bytes`);
    expect(sizes[199]!.staging).toBeGreaterThan(0);
    for (let step = 2; step < 200; step++) expect(sizes[step], `step ${step + 1}`).toEqual(sizes[1]);
  }, 120_000);
});
