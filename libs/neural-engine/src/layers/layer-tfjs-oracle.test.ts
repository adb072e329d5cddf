import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { type Shape, shapeSize } from '../tensor.js';
import { float64Backend as backend, testInputs } from '../testing/gradient-check.js';
import { type LayerConfig, createLayer } from './index.js';

/*
 * TensorFlow.js (whose layers follow Keras) as an oracle for the deterministic layers: same input, same weights →
 * same output and same dL/dx (and dL/dalpha) for L = Σ y·r. TF.js computes in float32, hence the 1e-5 tolerance.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface OracleCase {
  label: string;
  config: LayerConfig;
  oracle: () => tf.layers.Layer;
  inputShape: Shape;
}

const cases: OracleCase[] = [
  { label: 'ReLU', config: { type: 'ReLU' }, oracle: () => tf.layers.reLU(), inputShape: [6] },
  { label: 'ReLU maxValue 1', config: { type: 'ReLU', maxValue: 1 }, oracle: () => tf.layers.reLU({ maxValue: 1 }), inputShape: [2, 3] },
  { label: 'LeakyReLU (default slope)', config: { type: 'LeakyReLU' }, oracle: () => tf.layers.leakyReLU(), inputShape: [6] },
  { label: 'LeakyReLU 0.1', config: { type: 'LeakyReLU', negativeSlope: 0.1 }, oracle: () => tf.layers.leakyReLU({ alpha: 0.1 }), inputShape: [6] },
  // TF.js implements ELU only with alpha 1 and Softmax only over the last axis; the gradient checks cover the rest.
  { label: 'ELU', config: { type: 'ELU' }, oracle: () => tf.layers.elu(), inputShape: [6] },
  { label: 'Softmax', config: { type: 'Softmax' }, oracle: () => tf.layers.softmax(), inputShape: [5] },
  { label: 'Softmax axis -1 of a rank-3 input', config: { type: 'Softmax', axis: -1 }, oracle: () => tf.layers.softmax({ axis: -1 }), inputShape: [3, 4] },
  {
    label: 'PReLU',
    config: { type: 'PReLU', alphaInitializer: { type: 'RandomUniform', minval: 0, maxval: 0.5 } },
    oracle: () => tf.layers.prelu(),
    inputShape: [3, 4],
  },
  {
    label: 'PReLU sharedAxes [1]',
    config: { type: 'PReLU', alphaInitializer: { type: 'RandomUniform', minval: 0, maxval: 0.5 }, sharedAxes: [1] },
    oracle: () => tf.layers.prelu({ sharedAxes: [1] }),
    inputShape: [3, 4],
  },
  { label: 'Flatten', config: { type: 'Flatten' }, oracle: () => tf.layers.flatten(), inputShape: [2, 3, 2] },
  { label: 'Reshape', config: { type: 'Reshape', targetShape: [3, -1] }, oracle: () => tf.layers.reshape({ targetShape: [3, -1] }), inputShape: [2, 3] },
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('layers agree with TensorFlow.js', () => {
  it.each(cases)('$label', ({ config, oracle, inputShape }) => {
    const batch = 4;
    const layer = createLayer({ name: 'ours', ...config });
    layer.build(inputShape, { backend, rng: new Rng(3) });
    const xShape = [batch, ...inputShape];
    const xs = testInputs(shapeSize(xShape), 2, 9);
    const x = backend.fromValues(xShape, xs);
    const y = layer.call(x, true);
    const r = testInputs(y.size, 1, 4);
    const dx = layer.callBackward(backend.fromValues(y.shape, r));

    const theirs = oracle();
    const tx = tf.tensor(Array.from(xs), [...xShape]);
    theirs.apply(tx); // builds the layer
    if (layer.variables.length > 0) {
      theirs.setWeights(layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));
    }
    const ty = theirs.apply(tx) as tf.Tensor;
    expect(ty.shape).toEqual([...y.shape]);
    expect(maxAbsDiff(ty.dataSync(), y.data)).toBeLessThan(1e-5);

    const tr = tf.tensor(Array.from(r), ty.shape);
    const tdx = tf.grad((input: tf.Tensor) => (theirs.apply(input) as tf.Tensor).mul(tr).sum())(tx);
    expect(maxAbsDiff(tdx.dataSync(), dx.data)).toBeLessThan(1e-5);

    if (layer.variables.length > 0) {
      const { grads } = tf.variableGrads(() => (theirs.apply(tx) as tf.Tensor).mul(tr).sum() as tf.Scalar, [theirs.trainableWeights[0]!.read() as tf.Variable]);
      const tAlphaGrad = Object.values(grads)[0]!;
      expect(tAlphaGrad.shape).toEqual([...layer.variables[0]!.value.shape]);
      expect(maxAbsDiff(tAlphaGrad.dataSync(), layer.variables[0]!.grad.data)).toBeLessThan(1e-5);
    }
  });
});
