import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { readCsvDataset } from '../testing/datasets.js';
import type { ModelDefinition } from './definition.js';
import { Sequential } from './sequential.js';

/*
 * Determinism (issue point 6) and exact resume (serialization): one seeded RNG drives initializers, dropout and
 * shuffling, so the same seed, data and config give identical weight bytes; and a model restored mid-training from
 * saveTrainingState continues bit for bit.
 */

const data = readCsvDataset('iris_train.csv');
const definition = (seed: number): ModelDefinition => ({
  type: 'Sequential',
  seed,
  layers: [
    { type: 'Dense', units: 12, activation: 'relu', inputShape: [4], kernelRegularizer: { type: 'L2', l2: 0.001 } },
    { type: 'Dropout', rate: 0.3 },
    // A layer with its own seed draws from its own generator, which the training state must carry too.
    { type: 'GaussianNoise', stddev: 0.1, seed: 77 },
    { type: 'Dense', units: 3, activation: 'softmax' },
  ],
});
const compile = { optimizer: { type: 'Adam', learningRate: 0.01 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };

async function train(seed: number, epochs: number): Promise<Uint8Array> {
  const model = Sequential.fromDefinition(definition(seed));
  model.compile(compile);
  await model.fit(data.x, data.y, { epochs, batchSize: 16 });
  return model.saveWeights().data;
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('determinism', () => {
  it('two runs with the same seed give identical weight bytes', async () => {
    expect(equalBytes(await train(11, 5), await train(11, 5))).toBe(true);
  });

  it('a different seed gives different weights', async () => {
    expect(equalBytes(await train(11, 5), await train(12, 5))).toBe(false);
  });

  it('fit seed reseeds shuffling and dropout: same fit seed on differently seeded models differs only by init', async () => {
    const a = Sequential.fromDefinition(definition(1));
    const b = Sequential.fromDefinition(definition(1));
    a.compile(compile);
    b.compile(compile);
    await a.fit(data.x, data.y, { epochs: 2, seed: 5 });
    await b.fit(data.x, data.y, { epochs: 2, seed: 6 });
    expect(equalBytes(a.saveWeights().data, b.saveWeights().data)).toBe(false);
  });
});

describe('training state serialization', () => {
  it('a model restored mid-training and trained on gives bitwise the same weights as one never interrupted', async () => {
    const straight = Sequential.fromDefinition(definition(21));
    straight.compile(compile);
    await straight.fit(data.x, data.y, { epochs: 6, batchSize: 16 });

    const first = Sequential.fromDefinition(definition(21));
    first.compile(compile);
    await first.fit(data.x, data.y, { epochs: 3, batchSize: 16 });
    const bytes = first.saveTrainingState();

    // A fresh process would rebuild from JSON and bytes only.
    const json = JSON.parse(JSON.stringify(first.getDefinition()));
    const resumed = Sequential.fromDefinition(json);
    resumed.compile(compile);
    const { epoch } = resumed.loadTrainingState(bytes);
    expect(epoch).toBe(3);
    const history = await resumed.fit(data.x, data.y, { epochs: 6, initialEpoch: epoch, batchSize: 16 });
    expect(history.epoch).toEqual([3, 4, 5]);
    expect(equalBytes(resumed.saveWeights().data, straight.saveWeights().data)).toBe(true);
  });

  it('resume is exact for recurrent models whose wrapped layers have their own seeds', async () => {
    const def: ModelDefinition = {
      type: 'Sequential',
      seed: 4,
      layers: [
        { type: 'Bidirectional', inputShape: [5, 3], layer: { type: 'LSTM', units: 4, dropout: 0.2, recurrentDropout: 0.2, seed: 9, returnSequences: true } },
        { type: 'GRU', units: 3, dropout: 0.1, seed: 3 },
        { type: 'Dense', units: 1 },
      ],
    };
    const rng = new Rng(1);
    const x = { shape: [12, 5, 3], data: Array.from({ length: 180 }, () => rng.uniformRange(-1, 1)) };
    const y = { shape: [12, 1], data: Array.from({ length: 12 }, () => rng.uniformRange(-1, 1)) };
    const opts = { optimizer: 'adam', loss: 'mse' };
    const straight = Sequential.fromDefinition(def);
    straight.compile(opts);
    await straight.fit(x, y, { epochs: 4, batchSize: 4 });
    const first = Sequential.fromDefinition(def);
    first.compile(opts);
    await first.fit(x, y, { epochs: 2, batchSize: 4 });
    const resumed = Sequential.fromDefinition(def);
    resumed.compile(opts);
    resumed.loadTrainingState(first.saveTrainingState());
    await resumed.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 4 });
    expect(equalBytes(resumed.saveWeights().data, straight.saveWeights().data)).toBe(true);
  });

  it('weights round-trip through saveWeights/loadWeights and predictions are identical', async () => {
    const a = Sequential.fromDefinition(definition(8));
    a.compile(compile);
    await a.fit(data.x, data.y, { epochs: 1 });
    const b = Sequential.fromDefinition(a.getDefinition());
    b.loadWeights(a.saveWeights());
    expect(Array.from(b.predict(data.x).data)).toEqual(Array.from(a.predict(data.x).data));
  });

  it('rejects weights of another architecture and corrupt state bytes with clear messages', () => {
    const a = Sequential.fromDefinition(definition(8));
    const other = Sequential.fromDefinition({ type: 'Sequential', layers: [{ type: 'Dense', units: 2, inputShape: [4] }] });
    expect(() => other.loadWeights(a.saveWeights())).toThrow(/saved weights have 4 arrays; this model has 2/);
    a.compile(compile);
    expect(() => a.loadTrainingState(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(/not a Kiln training state/);
  });

  it('the definition round-trips through JSON and recreates the same model', () => {
    const a = Sequential.fromDefinition(definition(5));
    const b = Sequential.fromDefinition(JSON.parse(JSON.stringify(a.getDefinition())));
    expect(b.getDefinition()).toEqual(a.getDefinition());
    expect(equalBytes(b.saveWeights().data, a.saveWeights().data)).toBe(true);
  });
});
