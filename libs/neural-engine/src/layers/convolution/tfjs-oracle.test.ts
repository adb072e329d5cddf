import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { testInputs } from '../../testing/gradient-check.js';
import { type LayerConfig, createLayer } from '../index.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * TensorFlow.js 4.22 (whose layers follow Keras) as the oracle: the same input and the same weights (copied in with
 * setWeights) must give the same output, the same dL/dx and the same dL/dw for L = Σ y·r, in float32 within
 * rtol 1e-4 / atol 1e-5. Each case also checks that the weights come in TF.js's order, with its shapes and names.
 * Options TF.js lacks (groups, Conv2DTranspose outputPadding and dilation, keepdims, masks) are covered by the
 * hand-derived tests in hand-derived.test.ts.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface OracleCase {
  label: string;
  config: LayerConfig;
  oracle: () => tf.layers.Layer;
  inputShape: Shape;
  /**
   * Why TF.js's gradients cannot serve as the oracle for this case (only its forward values are compared; the
   * finite-difference checks in gradients.test.ts cover the gradients).
   */
  forwardOnly?: string;
}

// TF.js 4.22 throws "dilation rates greater than 1 are not yet supported in gradients" for conv1d/conv2d.
const noDilatedGrads = 'TF.js has no gradient for dilated convolutions';
// TF.js's avgPool gradient divides by the full window size even where its own forward divided by the number of real
// elements (a partial "same" window), so its dL/dx is not the gradient of its output; TF's AvgPoolGrad is.
const avgSameGrads = 'TF.js avgPool backprop ignores the partial-window divisor its forward uses';

// Biases drawn non-zero so that a forgotten bias shows.
const bias = { biasInitializer: { type: 'RandomUniform', minval: -0.5, maxval: 0.5 } };

const cases: OracleCase[] = [
  { label: 'Conv1D valid', config: { type: 'Conv1D', filters: 3, kernelSize: 3, ...bias }, oracle: () => tf.layers.conv1d({ filters: 3, kernelSize: 3 }), inputShape: [7, 2] },
  {
    label: 'Conv1D same, stride 2, relu',
    config: { type: 'Conv1D', filters: 2, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu', ...bias },
    oracle: () => tf.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu' }),
    inputShape: [7, 3],
  },
  {
    label: 'Conv1D same, dilation 2',
    config: { type: 'Conv1D', filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2, ...bias },
    oracle: () => tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2 }),
    inputShape: [6, 2],
    forwardOnly: noDilatedGrads,
  },
  { label: 'Conv2D valid', config: { type: 'Conv2D', filters: 2, kernelSize: 3, ...bias }, oracle: () => tf.layers.conv2d({ filters: 2, kernelSize: 3 }), inputShape: [5, 5, 2] },
  {
    label: 'Conv2D same, strides (2, 1), kernel (2, 3), tanh',
    config: { type: 'Conv2D', filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'tanh', ...bias },
    oracle: () => tf.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'tanh' }),
    inputShape: [5, 4, 2],
  },
  {
    label: 'Conv2D same, strides 2 (even input: asymmetric padding)',
    config: { type: 'Conv2D', filters: 2, kernelSize: 3, strides: 2, padding: 'same', ...bias },
    oracle: () => tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
    inputShape: [6, 4, 2],
  },
  {
    label: 'Conv2D valid, dilation (2, 2)',
    config: { type: 'Conv2D', filters: 2, kernelSize: 2, dilationRate: 2, ...bias },
    oracle: () => tf.layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2 }),
    inputShape: [5, 5, 2],
    forwardOnly: noDilatedGrads,
  },
  {
    label: 'Conv2D same, dilation (2, 1)',
    config: { type: 'Conv2D', filters: 2, kernelSize: 3, dilationRate: [2, 1], padding: 'same', ...bias },
    oracle: () => tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: [2, 1], padding: 'same' }),
    inputShape: [5, 4, 1],
    forwardOnly: noDilatedGrads,
  },
  { label: 'Conv2DTranspose valid', config: { type: 'Conv2DTranspose', filters: 2, kernelSize: 3, ...bias }, oracle: () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3 }), inputShape: [3, 3, 2] },
  {
    label: 'Conv2DTranspose valid, strides 2, kernel (3, 2)',
    config: { type: 'Conv2DTranspose', filters: 3, kernelSize: [3, 2], strides: 2, ...bias },
    oracle: () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: [3, 2], strides: 2 }),
    inputShape: [3, 2, 2],
  },
  {
    label: 'Conv2DTranspose valid, strides 3 > kernel 2 (Keras pads the output to in·stride)',
    config: { type: 'Conv2DTranspose', filters: 2, kernelSize: 2, strides: 3, ...bias },
    oracle: () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 3 }),
    inputShape: [2, 3, 1],
  },
  {
    label: 'Conv2DTranspose same, strides 2, sigmoid',
    config: { type: 'Conv2DTranspose', filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', ...bias },
    oracle: () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
    inputShape: [3, 2, 2],
  },
  {
    label: 'Conv2DTranspose same, strides 1, kernel 4 (even kernel)',
    config: { type: 'Conv2DTranspose', filters: 2, kernelSize: 4, padding: 'same', ...bias },
    oracle: () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: 4, padding: 'same' }),
    inputShape: [3, 3, 2],
  },
  { label: 'DepthwiseConv2D valid', config: { type: 'DepthwiseConv2D', kernelSize: 3, ...bias }, oracle: () => tf.layers.depthwiseConv2d({ kernelSize: 3 }), inputShape: [4, 4, 2] },
  {
    label: 'DepthwiseConv2D same, depthMultiplier 3, strides (1, 2)',
    config: { type: 'DepthwiseConv2D', kernelSize: [2, 3], depthMultiplier: 3, strides: [1, 2], padding: 'same', ...bias },
    oracle: () => tf.layers.depthwiseConv2d({ kernelSize: [2, 3], depthMultiplier: 3, strides: [1, 2], padding: 'same' }),
    inputShape: [4, 5, 2],
  },
  { label: 'SeparableConv2D valid', config: { type: 'SeparableConv2D', filters: 3, kernelSize: 3, ...bias }, oracle: () => tf.layers.separableConv2d({ filters: 3, kernelSize: 3 }), inputShape: [5, 5, 2] },
  {
    label: 'SeparableConv2D same, depthMultiplier 2, strides 2, relu',
    config: { type: 'SeparableConv2D', filters: 2, kernelSize: [2, 3], depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', ...bias },
    oracle: () => tf.layers.separableConv2d({ filters: 2, kernelSize: [2, 3], depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
    inputShape: [5, 4, 3],
  },
  { label: 'MaxPooling1D', config: { type: 'MaxPooling1D' }, oracle: () => tf.layers.maxPooling1d({ poolSize: 2 }), inputShape: [7, 2] },
  {
    label: 'MaxPooling1D same, pool 3, stride 2',
    config: { type: 'MaxPooling1D', poolSize: 3, strides: 2, padding: 'same' },
    oracle: () => tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
    inputShape: [8, 2],
  },
  { label: 'MaxPooling2D', config: { type: 'MaxPooling2D' }, oracle: () => tf.layers.maxPooling2d({ poolSize: 2 }), inputShape: [4, 5, 2] },
  {
    label: 'MaxPooling2D same, pool (3, 2), strides (2, 1)',
    config: { type: 'MaxPooling2D', poolSize: [3, 2], strides: [2, 1], padding: 'same' },
    oracle: () => tf.layers.maxPooling2d({ poolSize: [3, 2], strides: [2, 1], padding: 'same' }),
    inputShape: [5, 4, 2],
  },
  { label: 'AveragePooling1D', config: { type: 'AveragePooling1D' }, oracle: () => tf.layers.averagePooling1d({ poolSize: 2 }), inputShape: [7, 2] },
  {
    label: 'AveragePooling1D same, pool 3, stride 2',
    config: { type: 'AveragePooling1D', poolSize: 3, strides: 2, padding: 'same' },
    oracle: () => tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
    inputShape: [8, 2],
    forwardOnly: avgSameGrads,
  },
  { label: 'AveragePooling2D', config: { type: 'AveragePooling2D', poolSize: [2, 3] }, oracle: () => tf.layers.averagePooling2d({ poolSize: [2, 3] }), inputShape: [4, 6, 2] },
  {
    label: 'AveragePooling2D same, pool 3, strides 2 (partial windows divide by real elements)',
    config: { type: 'AveragePooling2D', poolSize: 3, strides: 2, padding: 'same' },
    oracle: () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    inputShape: [6, 5, 2],
    forwardOnly: avgSameGrads,
  },
  { label: 'GlobalMaxPooling1D', config: { type: 'GlobalMaxPooling1D' }, oracle: () => tf.layers.globalMaxPooling1d(), inputShape: [5, 3] },
  { label: 'GlobalMaxPooling2D', config: { type: 'GlobalMaxPooling2D' }, oracle: () => tf.layers.globalMaxPooling2d({}), inputShape: [3, 4, 2] },
  { label: 'GlobalAveragePooling1D', config: { type: 'GlobalAveragePooling1D' }, oracle: () => tf.layers.globalAveragePooling1d(), inputShape: [5, 3] },
  { label: 'GlobalAveragePooling2D', config: { type: 'GlobalAveragePooling2D' }, oracle: () => tf.layers.globalAveragePooling2d({}), inputShape: [3, 4, 2] },
];

/** Asserts |a - b| <= atol + rtol·|b| elementwise (b is TF.js's value). */
function expectClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(ours.length, `${what} length`).toBe(theirs.length);
  for (let i = 0; i < ours.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(theirs[i]!);
    if (!(Math.abs(ours[i]! - theirs[i]!) <= tol)) expect.fail(`${what}[${i}]: ours ${ours[i]} vs TF.js ${theirs[i]}`);
  }
}

describe('convolution and pooling layers agree with TensorFlow.js', () => {
  it.each(cases)('$label', ({ config, oracle, inputShape, forwardOnly }) => {
    const backend = testBackend();
    const batch = 2;
    const layer = createLayer({ name: 'ours', ...config });
    layer.build(inputShape, { backend, rng: new Rng(3) });
    const xShape = [batch, ...inputShape];
    // testInputs draws distinct pseudo-random values, so no max-pooling window has a tie.
    const xs = testInputs(shapeSize(xShape), 2, 9);
    const x = backend.fromValues(xShape, xs);
    const y = layer.call(x, true);
    const r = testInputs(y.size, 1, 4);
    const dx = layer.callBackward(backend.fromValues(y.shape, r));

    const theirs = oracle();
    const tx = tf.tensor(Array.from(xs), [...xShape]);
    theirs.apply(tx); // builds the layer
    const theirShapes = theirs.getWeights().map((w) => w.shape);
    expect(theirShapes).toEqual(layer.variables.map((v) => [...v.value.shape]));
    expect(theirs.weights.map((w) => w.name.split('/').pop())).toEqual(layer.variables.map((v) => v.name.split('/').pop()));
    if (layer.variables.length > 0) {
      theirs.setWeights(layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));
    }
    const ty = theirs.apply(tx) as tf.Tensor;
    expect(ty.shape).toEqual([...y.shape]);
    expectClose(y.data, ty.dataSync(), 'y');
    if (forwardOnly) return;

    const tr = tf.tensor(Array.from(r), ty.shape);
    const tdx = tf.grad((input: tf.Tensor) => (theirs.apply(input) as tf.Tensor).mul(tr).sum())(tx);
    expectClose(dx.data, tdx.dataSync(), 'dL/dx');

    if (layer.variables.length > 0) {
      const vars = theirs.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => (theirs.apply(tx) as tf.Tensor).mul(tr).sum() as tf.Scalar, vars);
      layer.variables.forEach((v, k) => expectClose(v.grad.data, grads[vars[k]!.name]!.dataSync(), `dL/d${v.name}`));
    }
  });
});

/*
 * TF.js layers do not implement causal padding, but causal = "valid" after (kernelSize - 1)·dilation zeros before
 * the sequence (Keras's definition), so the oracle is TF.js's valid conv1d applied to the explicitly padded input.
 */
describe('Conv1D causal agrees with TF.js valid conv1d over a left-padded input', () => {
  const causalCases = [
    { label: 'kernel 3', kernelSize: 3, strides: 1, dilationRate: 1 },
    { label: 'kernel 2, stride 2', kernelSize: 2, strides: 2, dilationRate: 1 },
    { label: 'kernel 2, stride 2, even length (causal padding differs from TF "same" here)', kernelSize: 2, strides: 2, dilationRate: 1, steps: 8 },
    { label: 'kernel 3, stride 3', kernelSize: 3, strides: 3, dilationRate: 1, steps: 8 },
    { label: 'kernel 3, dilation 2 (forward only: no dilated gradients in TF.js)', kernelSize: 3, strides: 1, dilationRate: 2 },
  ];
  it.each(causalCases)('$label', ({ kernelSize, strides, dilationRate, steps }) => {
    const backend = testBackend();
    const inputShape = [steps ?? 7, 2];
    const layer = createLayer({ name: 'ours', type: 'Conv1D', filters: 3, kernelSize, strides, dilationRate, padding: 'causal', ...bias });
    layer.build(inputShape, { backend, rng: new Rng(5) });
    const xShape = [2, ...inputShape];
    const xs = testInputs(shapeSize(xShape), 2, 13);
    const y = layer.call(backend.fromValues(xShape, xs), true);
    const r = testInputs(y.size, 1, 6);
    const dx = layer.callBackward(backend.fromValues(y.shape, r));

    const theirs = tf.layers.conv1d({ filters: 3, kernelSize, strides, dilationRate, padding: 'valid' });
    const pad = (kernelSize - 1) * dilationRate;
    const f = (input: tf.Tensor): tf.Tensor => theirs.apply(tf.pad(input, [[0, 0], [pad, 0], [0, 0]])) as tf.Tensor;
    const tx = tf.tensor(Array.from(xs), xShape);
    f(tx);
    theirs.setWeights(layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));
    const ty = f(tx);
    expect(ty.shape).toEqual([...y.shape]);
    expectClose(y.data, ty.dataSync(), 'y');
    if (dilationRate > 1) return;
    const tr = tf.tensor(Array.from(r), ty.shape);
    expectClose(dx.data, tf.grad((input: tf.Tensor) => f(input).mul(tr).sum())(tx).dataSync(), 'dL/dx');
  });
});

// The TF.js DepthwiseConv2D layer drops dilationRate (its output has the undilated shape), so the oracle for dilated
// depthwise convolution is the tf.depthwiseConv2d op itself, plus the bias (forward only: no dilated gradients).
it('DepthwiseConv2D with dilation (2, 2) and depthMultiplier 2 agrees with tf.depthwiseConv2d', () => {
  const backend = testBackend();
  const layer = createLayer({ name: 'ours', type: 'DepthwiseConv2D', kernelSize: 2, depthMultiplier: 2, dilationRate: 2, padding: 'same', ...bias });
  layer.build([4, 5, 2], { backend, rng: new Rng(8) });
  const xs = testInputs(2 * 4 * 5 * 2, 2, 21);
  const y = layer.call(backend.fromValues([2, 4, 5, 2], xs), false);
  const [kernel, b] = layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape]));
  const ty = tf.depthwiseConv2d(tf.tensor4d(Array.from(xs), [2, 4, 5, 2]), kernel as tf.Tensor4D, 1, 'same', 'NHWC', 2).add(b!);
  expect(ty.shape).toEqual([...y.shape]);
  expectClose(y.data, ty.dataSync(), 'y');
});
