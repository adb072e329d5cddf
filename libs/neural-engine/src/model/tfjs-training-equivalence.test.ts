import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { Sequential } from './sequential.js';

/*
 * Training equivalence with TensorFlow.js for images and sequences: the same convnet, LSTM and GRU built in both
 * libraries with TF.js's (seeded) initial weights copied into Kiln, trained 3 steps with plain SGD on the same batch:
 * losses and every weight agree within rtol 1e-4 / atol 1e-5.
 */

interface Case {
  name: string;
  inputShape: number[];
  kiln: Record<string, unknown>[];
  tf: () => tf.layers.Layer[];
  loss: { kiln: string; tf: string };
  classes?: number;
}

const init = (seed: number) => ({
  kernelInitializer: tf.initializers.glorotUniform({ seed }),
  biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 100 }),
});

const cases: Case[] = [
  {
    name: 'convnet: Conv2D relu → MaxPooling2D → Conv2D same → Flatten → Dense softmax',
    inputShape: [8, 8, 1],
    kiln: [
      { type: 'Conv2D', filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] },
      { type: 'MaxPooling2D', poolSize: 2 },
      { type: 'Conv2D', filters: 3, kernelSize: [2, 2], padding: 'same', activation: 'tanh' },
      { type: 'Flatten' },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
    tf: () => [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1], ...init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 3, kernelSize: [2, 2], padding: 'same', activation: 'tanh', ...init(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax', ...init(3) }),
    ],
    loss: { kiln: 'sparse_categorical_crossentropy', tf: 'sparseCategoricalCrossentropy' },
    classes: 3,
  },
  {
    name: 'LSTM(6) over 5 steps → Dense(1), MSE',
    inputShape: [5, 3],
    kiln: [
      { type: 'LSTM', units: 6, inputShape: [5, 3] },
      { type: 'Dense', units: 1 },
    ],
    tf: () => [
      tf.layers.lstm({ units: 6, inputShape: [5, 3], recurrentActivation: 'sigmoid', ...init(4), recurrentInitializer: tf.initializers.orthogonal({ seed: 5 }) }),
      tf.layers.dense({ units: 1, ...init(6) }),
    ],
    loss: { kiln: 'mse', tf: 'meanSquaredError' },
  },
  {
    name: 'GRU(5, resetAfter false, returnSequences) → GRU(4) → Dense(2), MSE',
    inputShape: [4, 3],
    kiln: [
      { type: 'GRU', units: 5, resetAfter: false, returnSequences: true, inputShape: [4, 3] },
      { type: 'GRU', units: 4, resetAfter: false },
      { type: 'Dense', units: 2 },
    ],
    tf: () => [
      tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [4, 3], ...init(7), recurrentInitializer: tf.initializers.orthogonal({ seed: 8 }) }),
      tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', ...init(9), recurrentInitializer: tf.initializers.orthogonal({ seed: 10 }) }),
      tf.layers.dense({ units: 2, ...init(11) }),
    ],
    loss: { kiln: 'mse', tf: 'meanSquaredError' },
  },
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) - (1e-5 + 1e-4 * Math.abs(expected[i]!)));
  expect(worst, `${what}: worst excess over atol 1e-5 + rtol 1e-4`).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('training equivalence with TensorFlow.js (3 SGD steps)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const rng = new Rng(7);
      const samples = 6;
      const size = c.inputShape.reduce((a, b) => a * b, 1);
      const xFlat = Array.from({ length: samples * size }, () => rng.uniformRange(-1, 1));
      const outUnits = (c.kiln.at(-1)!.units as number) ?? 1;
      const y = c.classes
        ? Array.from({ length: samples }, () => rng.int(c.classes!))
        : Array.from({ length: samples * outUnits }, () => rng.uniformRange(-1, 1));

      const tfModel = tf.sequential({ layers: c.tf() });
      tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: c.loss.tf });
      const kiln = Sequential.fromDefinition({ type: 'Sequential', seed: 1, layers: c.kiln });
      kiln.compile({ optimizer: { type: 'SGD', learningRate: 0.1 }, loss: c.loss.kiln });
      expect(kiln.weightManifest().map((w) => w.shape)).toEqual(tfModel.getWeights().map((w) => w.shape));
      kiln.setWeights(tfModel.getWeights().map((w) => w.dataSync()));

      const x = { shape: [samples, ...c.inputShape], data: xFlat };
      const xt = tf.tensor(xFlat, [samples, ...c.inputShape]);
      const yt = c.classes ? tf.tensor2d(y.map((v) => [v])) : tf.tensor2d(y, [samples, outUnits]);
      const yKiln = c.classes ? y : { shape: [samples, outUnits], data: y };
      expectClose(kiln.predict(x).data, (tfModel.predict(xt) as tf.Tensor).dataSync(), 'initial predictions');
      for (let step = 0; step < 3; step++) {
        const tfLoss = (await tfModel.trainOnBatch(xt, yt)) as number;
        expectClose([kiln.trainOnBatch(x, yKiln).loss!], [tfLoss], `loss at step ${step + 1}`);
      }
      const tfWeights = tfModel.getWeights().map((w) => w.dataSync());
      kiln.getWeights().forEach((w, i) => expectClose(w, tfWeights[i]!, `weight ${kiln.weightManifest()[i]!.name} after 3 steps`));
      tf.dispose([xt, yt]);
      tfModel.dispose();
    });
  }
});
