import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { type LayerConfig, createLayer } from '../index.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * TensorFlow.js 4.22 (whose layers follow Keras) as an oracle, in float32 on both sides: same input and weights →
 * same weight order, shapes and names, same output, same moving statistics after one training call, and the same
 * dL/dx, dL/dgamma, dL/dbeta for L = Σ y·r, within rtol 1e-4 / atol 1e-5.
 * Not covered here because TF.js lacks them or gets them wrong (hand-derived tests instead, in the per-layer test
 * files): BatchNormalization on any axis but the last (TF.js 4.22 broadcasts the statistics over the last axis, e.g. for
 * axis 1 of [3, 2] it mixes features), over several axes or with masks; a frozen BatchNormalization in training (Keras 3
 * runs it in inference mode; TF.js follows the training flag); LayerNormalization rmsScaling; per-channel Rescaling;
 * and Normalization (not in TF.js).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const RTOL = 1e-4;
const ATOL = 1e-5;

/** Asserts |a − b| <= ATOL + RTOL·|b| elementwise. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = ATOL + RTOL * Math.abs(expected[i]!);
    expect(Math.abs(actual[i]! - expected[i]!), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

interface OracleCase {
  label: string;
  config: LayerConfig;
  oracle: () => tf.layers.Layer;
  inputShape: Shape;
  training: boolean;
  /** Compare outputs and weights only (TF.js cannot differentiate this configuration). */
  outputOnly?: boolean;
}

const cases: OracleCase[] = [
  { label: 'BatchNormalization training', config: { type: 'BatchNormalization' }, oracle: () => tf.layers.batchNormalization(), inputShape: [3], training: true },
  {
    label: 'BatchNormalization training, rank-4 channels-last input',
    config: { type: 'BatchNormalization' },
    oracle: () => tf.layers.batchNormalization(),
    inputShape: [2, 2, 3],
    training: true,
  },
  {
    label: 'BatchNormalization training, momentum 0.9, epsilon 0.01',
    config: { type: 'BatchNormalization', momentum: 0.9, epsilon: 0.01 },
    oracle: () => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 0.01 }),
    inputShape: [2, 3],
    training: true,
  },
  // TF.js's training path reads gamma unconditionally, so center/scale false is compared in inference only.
  {
    label: 'BatchNormalization inference, center and scale false',
    config: { type: 'BatchNormalization', center: false, scale: false },
    oracle: () => tf.layers.batchNormalization({ center: false, scale: false }),
    inputShape: [4],
    training: false,
    // TF.js's gradient fails without gamma or beta too; the finite-difference checks cover it.
    outputOnly: true,
  },
  { label: 'BatchNormalization inference', config: { type: 'BatchNormalization' }, oracle: () => tf.layers.batchNormalization(), inputShape: [3], training: false },
  {
    label: 'BatchNormalization inference, scale false',
    config: { type: 'BatchNormalization', scale: false, epsilon: 0.1 },
    oracle: () => tf.layers.batchNormalization({ scale: false, epsilon: 0.1 }),
    inputShape: [2, 3],
    training: false,
    outputOnly: true,
  },
  { label: 'LayerNormalization', config: { type: 'LayerNormalization' }, oracle: () => tf.layers.layerNormalization(), inputShape: [5], training: true },
  {
    label: 'LayerNormalization axis [1, 2], epsilon 1e-5',
    config: { type: 'LayerNormalization', axis: [1, 2], epsilon: 1e-5 },
    oracle: () => tf.layers.layerNormalization({ axis: [1, 2], epsilon: 1e-5 }),
    inputShape: [2, 3],
    training: true,
  },
  {
    label: 'LayerNormalization axis 1 of [3, 2], center false',
    config: { type: 'LayerNormalization', axis: 1, center: false },
    oracle: () => tf.layers.layerNormalization({ axis: 1, center: false }),
    inputShape: [3, 2],
    training: true,
    // TF.js's layerNormalization gradient fails without beta or gamma; the finite-difference checks cover it.
    outputOnly: true,
  },
  {
    label: 'LayerNormalization scale false',
    config: { type: 'LayerNormalization', scale: false },
    oracle: () => tf.layers.layerNormalization({ scale: false }),
    inputShape: [2, 4],
    training: true,
    outputOnly: true,
  },
  { label: 'Rescaling', config: { type: 'Rescaling', scale: 1 / 255, offset: -0.5 }, oracle: () => tf.layers.rescaling({ scale: 1 / 255, offset: -0.5 }), inputShape: [2, 3], training: true },
];

/** Random weight values by role: scales near 1, variances positive. */
function weightValues(name: string, size: number, rng: Rng): number[] {
  return Array.from({ length: size }, () =>
    name.endsWith('moving_variance') ? rng.uniformRange(0.5, 2) : name.endsWith('gamma') ? 1 + 0.3 * rng.normal() : rng.normal(),
  );
}

let inputCounter = 0;

describe('normalization layers agree with TensorFlow.js', () => {
  it.each(cases)('$label', ({ config, oracle, inputShape, training, outputOnly }) => {
    const batch = 4;
    const backend = testBackend();
    const rng = new Rng(21);
    const layer = createLayer({ name: 'ours', ...config });
    layer.build(inputShape, { backend, rng });
    for (const v of layer.variables) v.value.data.set(weightValues(v.name, v.value.size, rng));

    const tfLayer = oracle();
    const full = [batch, ...inputShape];
    tfLayer.apply(tf.zeros(full)); // builds it (inference: no moving-statistics update)
    // Weight order, shapes and names as TF.js (and Keras) lay them out.
    expect(layer.variables.map((v) => [...v.value.shape])).toEqual(tfLayer.getWeights().map((w) => w.shape));
    expect(layer.variables.map((v) => v.name.split('/')[1])).toEqual(tfLayer.weights.map((w) => w.name.split('/').pop()));
    expect(layer.variables.map((v) => v.trainable)).toEqual(tfLayer.weights.map((w) => w.trainable));
    tfLayer.setWeights(layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));

    const xs = Array.from({ length: shapeSize(full) }, () => 2 * rng.normal() + 0.5);
    const rs = Array.from({ length: shapeSize(full) }, () => rng.normal());
    const x = backend.fromValues(full, xs);
    const y = layer.call(x, training);
    const yTf = tfLayer.apply(tf.tensor(xs, full), { training }) as tf.Tensor;
    expectClose(y.data, yTf.dataSync(), 'output');
    // Moving statistics (updated by the training call, untouched by inference) and every other weight.
    tfLayer.getWeights().forEach((w, k) => expectClose(layer.variables[k]!.value.data, w.dataSync(), `weight ${layer.variables[k]!.name}`));

    if (outputOnly) return;

    const dx = layer.callBackward(backend.fromValues(full, rs));
    const inputName = `oracle_input_${++inputCounter}`;
    const xVar = tf.variable(tf.tensor(xs, full), true, inputName);
    try {
      const r = tf.tensor(rs, full);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tfLayer.apply(xVar, { training }) as tf.Tensor, r)) as tf.Scalar);
      expectClose(dx.data, grads[inputName]!.dataSync(), 'dL/dx');
      tfLayer.weights.forEach((w, k) => {
        if (!w.trainable) return;
        expectClose(layer.variables[k]!.grad.data, grads[w.originalName ?? w.name]!.dataSync(), `dL/d${layer.variables[k]!.name}`);
      });
    } finally {
      xVar.dispose();
    }
  });
});
