import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Shape } from '../tensor.js';
import { testInputs } from '../testing/gradient-check.js';
import type { ActivationConfig } from './activation.js';
import { getActivation } from './index.js';
import { testBackend } from '../testing/test-backend.js';

/*
 * Forward values against TensorFlow.js (its pure-JS cpu backend), in float32, within rtol 1e-5 / atol 1e-6:
 * |ours - tf| ≤ 1e-6 + 1e-5·|tf|. Activations tf has as ops or tfjs-layers activations are compared with those;
 * a few Keras 3 activations tf lacks but can express in a line of tf ops (hard_sigmoid, hard_silu, hard_tanh, glu,
 * the shrinks...) are compared with that composition, written from the Keras 3 definitions.
 */

const backend = testBackend();
const RTOL = 1e-5;
const ATOL = 1e-6;

// Inputs spanning the interesting range: 0, negatives, both tails (|x| up to 20) and every corner of the piecewise
// activations (±0.5, ±1, ±2.5, ±3, 6).
const VALUES = Float32Array.from([
  ...testInputs(42, 5, 5),
  -20, -12, -7.5, -3, -2.5, -1, -0.5, 0.5, 1, 2.5, 3, 6, 7.5, 12, 20,
]);
const SHAPE: Shape = [VALUES.length / 3, 3];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function ours(config: ActivationConfig, values: Float32Array = VALUES, shape: Shape = SHAPE): Float32Array {
  const y = getActivation(config).apply(backend.fromValues(shape, values), backend);
  return y.data as Float32Array;
}

function oracle(f: (x: tf.Tensor) => tf.Tensor, values: Float32Array = VALUES, shape: Shape = SHAPE): Float32Array {
  return tf.tidy(() => f(tf.tensor(values, [...shape], 'float32'))).dataSync() as Float32Array;
}

function layerActivation(name: string): (x: tf.Tensor) => tf.Tensor {
  // tfjs-layers' Activation layer applies its registered activation functions (softsign, swish, mish, gelu...).
  return (x) => tf.layers.activation({ activation: name as never }).apply(x) as tf.Tensor;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (ATOL + RTOL * Math.abs(expected[i]!));
    if (!(excess <= 0)) throw new Error(`element ${i}: ${actual[i]} vs tf ${expected[i]}`);
    worst = Math.max(worst, excess);
  }
  expect(worst).toBeLessThanOrEqual(0);
}

const cases: [string, ActivationConfig, (x: tf.Tensor) => tf.Tensor][] = [
  ['relu', 'relu', (x) => tf.relu(x)],
  ['relu6', 'relu6', (x) => tf.relu6(x)],
  ['relu with maxValue 6 (Keras takes its relu6 path)', { type: 'relu', maxValue: 6 }, (x) => tf.relu6(x)],
  ['relu with negativeSlope only (Keras takes its leaky_relu path)', { type: 'relu', negativeSlope: 0.1 }, (x) => tf.leakyRelu(x, 0.1)],
  ['leaky_relu (default negativeSlope 0.2)', 'leaky_relu', (x) => tf.leakyRelu(x, 0.2)],
  ['leaky_relu negativeSlope 0.01', { type: 'leaky_relu', negativeSlope: 0.01 }, (x) => tf.leakyRelu(x, 0.01)],
  ['elu', 'elu', (x) => tf.elu(x)],
  ['selu', 'selu', (x) => tf.selu(x)],
  ['sigmoid', 'sigmoid', (x) => tf.sigmoid(x)],
  ['log_sigmoid', 'log_sigmoid', (x) => tf.logSigmoid(x)],
  ['tanh', 'tanh', (x) => tf.tanh(x)],
  ['softplus', 'softplus', (x) => tf.softplus(x)],
  ['exponential', 'exponential', (x) => tf.exp(x)],
  ['linear', 'linear', layerActivation('linear')],
  ['softsign', 'softsign', layerActivation('softsign')],
  ['silu', 'silu', layerActivation('swish')],
  ['swish (alias)', 'swish', layerActivation('swish')],
  ['mish', 'mish', layerActivation('mish')],
  ['gelu (exact, Keras 3 default)', 'gelu', layerActivation('gelu')],
  ['gelu approximate (tfjs gelu_new)', { type: 'gelu', approximate: true }, layerActivation('gelu_new')],
  ['hard_sigmoid_keras2 (tfjs hardSigmoid, Keras 2)', 'hard_sigmoid_keras2', layerActivation('hardSigmoid')],
  ['softmax', 'softmax', (x) => tf.softmax(x)],
  ['log_softmax', 'log_softmax', (x) => tf.logSoftmax(x)],
  // Keras 3 compositions (tfjs has no such activations).
  ['hard_sigmoid = relu6(x + 3) / 6', 'hard_sigmoid', (x) => tf.div(tf.relu6(tf.add(x, 3)), 6)],
  ['hard_silu = x · relu6(x + 3) / 6', 'hard_silu', (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6))],
  ['hard_swish (alias)', 'hard_swish', (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6))],
  ['hard_tanh = clip(x, -1, 1)', 'hard_tanh', (x) => tf.clipByValue(x, -1, 1)],
  ['tanh_shrink = x - tanh(x)', 'tanh_shrink', (x) => tf.sub(x, tf.tanh(x))],
  ['celu = max(x, 0) + min(0, α(exp(x/α) - 1)), α = 2', { type: 'celu', alpha: 2 }, (x) => tf.add(tf.relu(x), tf.minimum(0, tf.mul(2, tf.sub(tf.exp(tf.div(x, 2)), 1))))],
  ['soft_shrink', 'soft_shrink', (x) => tf.where(tf.greater(x, 0.5), tf.sub(x, 0.5), tf.where(tf.less(x, -0.5), tf.add(x, 0.5), tf.zerosLike(x)))],
  ['hard_shrink', 'hard_shrink', (x) => tf.where(tf.greater(tf.abs(x), 0.5), x, tf.zerosLike(x))],
  ['squareplus', 'squareplus', (x) => tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), 4))), 2)],
  ['threshold', { type: 'threshold', threshold: 1, defaultValue: -2 }, (x) => tf.where(tf.greater(x, 1), x, tf.fill(x.shape, -2))],
];

describe('activations match TensorFlow.js (float32, rtol 1e-5, atol 1e-6)', () => {
  it.each(cases)('%s', (_name, config, f) => {
    expectClose(ours(config), oracle(f));
  });

  it('softmax, log_softmax and glu along a middle axis match tf (transposed to the last axis / tf.split)', () => {
    const shape: Shape = [2, 4, 3];
    const values = Float32Array.from(testInputs(24, 4, 9));
    const alongAxis1 = (f: (t: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => tf.transpose(f(tf.transpose(x, [0, 2, 1])), [0, 2, 1]);
    expectClose(ours({ type: 'softmax', axis: 1 }, values, shape), oracle(alongAxis1((t) => tf.softmax(t)), values, shape));
    expectClose(ours({ type: 'log_softmax', axis: 1 }, values, shape), oracle(alongAxis1((t) => tf.logSoftmax(t)), values, shape));
    const glu = (axis: number) => (x: tf.Tensor) => {
      const [a, b] = tf.split(x, 2, axis);
      return tf.mul(a!, tf.sigmoid(b!));
    };
    expectClose(ours({ type: 'glu', axis: 1 }, values, shape), oracle(glu(1), values, shape));
    expectClose(ours('glu', values, [2, 3, 4]), oracle(glu(-1), values, [2, 3, 4]));
  });

  it('the comparison has teeth: exact and tanh-approximated gelu differ beyond the tolerance', () => {
    // The two GELUs differ by up to ~5e-4, so comparing across them must fail; this also pins the default to exact.
    expect(() => expectClose(ours({ type: 'gelu', approximate: true }), oracle(layerActivation('gelu')))).toThrow(/vs tf/);
    expect(() => expectClose(ours('gelu'), oracle(layerActivation('gelu_new')))).toThrow(/vs tf/);
  });

  it('hard_sigmoid follows Keras 3, not the Keras 2 formula tfjs still uses', () => {
    // tfjs 'hardSigmoid' is 0.2·x + 0.5 clipped to [0, 1] (Keras 2); Keras 3 changed it to relu6(x + 3) / 6. At x = 2
    // the two give 0.9 and 5/6: this checks that the difference is real and that we follow Keras 3.
    const x = Float32Array.from([2]);
    const keras2 = oracle(layerActivation('hardSigmoid'), x, [1]);
    expect(keras2[0]).toBeCloseTo(0.9, 6);
    expect(ours('hard_sigmoid', x, [1])[0]).toBeCloseTo(5 / 6, 6);
    // The Keras 2 formula is Kiln's hard_sigmoid_keras2.
    expect(ours('hard_sigmoid_keras2', x, [1])[0]).toBeCloseTo(0.9, 6);
  });
});
