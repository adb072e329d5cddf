import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { testInputs } from '../../testing/gradient-check.js';
import { createLayer } from '../index.js';
import type { LayerConfig } from '../layer.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * TensorFlow.js 4.22 as an oracle, in float32: the same input (and weights) give the same output and the same dL/dx
 * (and dL/dembeddings) for L = Σ y·r, within rtol 1e-4 / atol 1e-5. Layers TF.js has are compared with its layer;
 * for the ones it lacks (ZeroPadding1D, Cropping1D, UpSampling1D) and for bilinear UpSampling2D (TF.js's layer resizes
 * without half-pixel centers, unlike Keras 3's ops.image.resize) the oracle is the equivalent composition of tf ops.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BATCH = 2;

/** Asserts |a - b| <= atol + rtol·|b| elementwise. */
function expectClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): void {
  expect(ours.length).toBe(theirs.length);
  for (let i = 0; i < ours.length; i++) {
    const tolerance = atol + rtol * Math.abs(theirs[i]!);
    if (!(Math.abs(ours[i]! - theirs[i]!) <= tolerance)) {
      expect.fail(`element ${i}: ours ${ours[i]} vs TF.js ${theirs[i]} (tolerance ${tolerance})`);
    }
  }
}

interface OracleCase {
  label: string;
  config: LayerConfig;
  inputShape: Shape;
  /** The TF.js computation for a batched input. */
  oracle: () => (x: tf.Tensor) => tf.Tensor;
  /**
   * How TF.js's dL/dx is taken: over the batch (default); one sample at a time for resizeNearestNeighbor, whose cpu
   * gradient in TF.js 4.22 mixes up the samples of a batch larger than 1 (checked by hand: for a 2-sample batch the
   * second sample's gradient repeats the first's); not at all for resizeBilinear with half-pixel centers, whose TF.js
   * gradient ignores halfPixelCenters and swaps the axes of non-square images (bilinear-up-sampling.test.ts checks
   * ours against a hand-derived gradient instead, and the finite-difference checks cover every case).
   */
  gradient?: 'batch' | 'perSample' | 'none';
}

/** A TF.js layer as an oracle function. */
const viaLayer = (make: () => tf.layers.Layer) => () => {
  const layer = make();
  return (x: tf.Tensor) => layer.apply(x) as tf.Tensor;
};

const cases: OracleCase[] = [
  { label: 'ZeroPadding2D default', config: { type: 'ZeroPadding2D' }, inputShape: [2, 3, 2], oracle: viaLayer(() => tf.layers.zeroPadding2d()) },
  { label: 'ZeroPadding2D 2', config: { type: 'ZeroPadding2D', padding: 2 }, inputShape: [2, 2, 1], oracle: viaLayer(() => tf.layers.zeroPadding2d({ padding: 2 })) },
  { label: 'ZeroPadding2D [2, 1]', config: { type: 'ZeroPadding2D', padding: [2, 1] }, inputShape: [2, 2, 2], oracle: viaLayer(() => tf.layers.zeroPadding2d({ padding: [2, 1] })) },
  {
    label: 'ZeroPadding2D [[1, 0], [0, 2]]',
    config: { type: 'ZeroPadding2D', padding: [[1, 0], [0, 2]] },
    inputShape: [3, 2, 2],
    oracle: viaLayer(() => tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] })),
  },
  { label: 'Cropping2D default', config: { type: 'Cropping2D' }, inputShape: [2, 3, 2], oracle: viaLayer(() => tf.layers.cropping2D({ cropping: 0 })) },
  { label: 'Cropping2D 1', config: { type: 'Cropping2D', cropping: 1 }, inputShape: [4, 3, 2], oracle: viaLayer(() => tf.layers.cropping2D({ cropping: 1 })) },
  { label: 'Cropping2D [1, 0]', config: { type: 'Cropping2D', cropping: [1, 0] }, inputShape: [3, 2, 2], oracle: viaLayer(() => tf.layers.cropping2D({ cropping: [1, 0] })) },
  {
    label: 'Cropping2D [[1, 0], [0, 2]]',
    config: { type: 'Cropping2D', cropping: [[1, 0], [0, 2]] },
    inputShape: [3, 4, 2],
    oracle: viaLayer(() => tf.layers.cropping2D({ cropping: [[1, 0], [0, 2]] })),
  },
  { label: 'UpSampling2D default', config: { type: 'UpSampling2D' }, inputShape: [2, 3, 2], oracle: viaLayer(() => tf.layers.upSampling2d({})), gradient: 'perSample' },
  {
    label: 'UpSampling2D [1, 3]',
    config: { type: 'UpSampling2D', size: [1, 3] },
    inputShape: [2, 2, 2],
    oracle: viaLayer(() => tf.layers.upSampling2d({ size: [1, 3] })),
    gradient: 'perSample',
  },
  {
    label: 'UpSampling2D 3',
    config: { type: 'UpSampling2D', size: 3 },
    inputShape: [2, 2, 1],
    oracle: viaLayer(() => tf.layers.upSampling2d({ size: [3, 3] })),
    gradient: 'perSample',
  },
  { label: 'Permute [2, 1]', config: { type: 'Permute', dims: [2, 1] }, inputShape: [3, 4], oracle: viaLayer(() => tf.layers.permute({ dims: [2, 1] })) },
  { label: 'Permute [3, 1, 2]', config: { type: 'Permute', dims: [3, 1, 2] }, inputShape: [2, 3, 4], oracle: viaLayer(() => tf.layers.permute({ dims: [3, 1, 2] })) },
  { label: 'Permute [2, 3, 1]', config: { type: 'Permute', dims: [2, 3, 1] }, inputShape: [2, 3, 4], oracle: viaLayer(() => tf.layers.permute({ dims: [2, 3, 1] })) },
  { label: 'RepeatVector 3', config: { type: 'RepeatVector', n: 3 }, inputShape: [4], oracle: viaLayer(() => tf.layers.repeatVector({ n: 3 })) },
  // TF.js's SpatialDropout1D outside training is the identity, as ours; training masks are random, tested elsewhere.
  { label: 'SpatialDropout1D (inference)', config: { type: 'SpatialDropout1D', rate: 0.5 }, inputShape: [3, 4], oracle: viaLayer(() => tf.layers.spatialDropout1d({ rate: 0.5 })) },
  // TF.js has no ZeroPadding1D: tf.pad of the steps axis.
  {
    label: 'ZeroPadding1D [1, 2] (tf.pad)',
    config: { type: 'ZeroPadding1D', padding: [1, 2] },
    inputShape: [3, 2],
    oracle: () => (x) => tf.pad(x, [[0, 0], [1, 2], [0, 0]]),
  },
  { label: 'ZeroPadding1D default (tf.pad)', config: { type: 'ZeroPadding1D' }, inputShape: [2, 3], oracle: () => (x) => tf.pad(x, [[0, 0], [1, 1], [0, 0]]) },
  // TF.js has no Cropping1D: tf.slice of the steps axis.
  { label: 'Cropping1D default (tf.slice)', config: { type: 'Cropping1D' }, inputShape: [4, 2], oracle: () => (x) => tf.slice(x, [0, 1, 0], [-1, 2, -1]) },
  { label: 'Cropping1D [0, 2] (tf.slice)', config: { type: 'Cropping1D', cropping: [0, 2] }, inputShape: [5, 3], oracle: () => (x) => tf.slice(x, [0, 0, 0], [-1, 3, -1]) },
  // TF.js has no UpSampling1D: repeat each step by tiling a new axis after it.
  {
    label: 'UpSampling1D 3 (tf.tile)',
    config: { type: 'UpSampling1D', size: 3 },
    inputShape: [3, 2],
    oracle: () => (x) => tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, 3, 1]), [BATCH, 9, 2]),
  },
  // Keras 3 bilinear resizing uses half-pixel centers; TF.js's UpSampling2D layer does not, tf.image.resizeBilinear can.
  {
    label: 'UpSampling2D bilinear 2 (resizeBilinear, half-pixel centers)',
    config: { type: 'UpSampling2D', size: 2, interpolation: 'bilinear' },
    inputShape: [3, 2, 2],
    oracle: () => (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [6, 4], false, true),
    gradient: 'none',
  },
  {
    label: 'UpSampling2D bilinear [3, 2] (resizeBilinear, half-pixel centers)',
    config: { type: 'UpSampling2D', size: [3, 2], interpolation: 'bilinear' },
    inputShape: [2, 3, 1],
    oracle: () => (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [6, 6], false, true),
    gradient: 'none',
  },
];

describe('reshaping layers agree with TensorFlow.js (float32)', () => {
  it.each(cases)('$label', ({ config, inputShape, oracle, gradient = 'batch' }) => {
    const backend = testBackend();
    const layer = createLayer({ name: 'ours', ...config });
    layer.build(inputShape, { backend, rng: new Rng(3) });
    const xShape = [BATCH, ...inputShape];
    const xs = testInputs(shapeSize(xShape), 2, 9);
    const x = backend.fromValues(xShape, xs);
    const y = layer.call(x, true);
    const r = testInputs(y.size, 1, 4);
    const dx = layer.callBackward(backend.fromValues(y.shape, r));
    const yInference = layer.call(x, false);

    const f = oracle();
    const tx = tf.tensor(Array.from(xs), [...xShape]);
    const ty = f(tx);
    expect(ty.shape).toEqual([...y.shape]);
    // Training and inference agree for every layer here except SpatialDropout, whose case has the oracle in inference.
    expectClose(yInference.data, ty.dataSync());
    if (config.type === 'SpatialDropout1D') return;
    expectClose(y.data, ty.dataSync());
    if (gradient === 'none') return;
    const tr = tf.tensor(Array.from(r), ty.shape);
    const gradOf = (input: tf.Tensor, weights: tf.Tensor) => tf.grad((t: tf.Tensor) => f(t).mul(weights).sum())(input);
    const samples = gradient === 'perSample' ? tf.split(tx, BATCH) : [tx];
    const weights = gradient === 'perSample' ? tf.split(tr, BATCH) : [tr];
    const tdx = tf.concat(samples.map((sample, b) => gradOf(sample, weights[b]!)));
    expectClose(dx.data, tdx.dataSync());
  });
});

describe('Embedding agrees with TensorFlow.js', () => {
  const inputDim = 7;
  const outputDim = 3;
  // Batch 2 × 4 steps, with repeated ids (2 three times) and id 0.
  const ids = [2, 0, 5, 2, 6, 1, 2, 0];

  it('has the same weights in the same order, shapes and names', () => {
    const backend = testBackend();
    const ours = createLayer({ type: 'Embedding', name: 'emb', inputDim, outputDim });
    ours.build([4], { backend, rng: new Rng(1) });
    const theirs = tf.layers.embedding({ inputDim, outputDim });
    theirs.apply(tf.tensor(ids, [BATCH, 4], 'int32'));
    expect(ours.variables.map((v) => [...v.value.shape])).toEqual(theirs.getWeights().map((w) => w.shape));
    expect(ours.variables.map((v) => v.name.split('/').pop())).toEqual(theirs.weights.map((w) => w.name.split('/').pop()));
    expect(ours.variables.map((v) => v.name)).toEqual(['emb/embeddings']);
  });

  it.each([false, true])('computes the same lookups and embeddings gradient (maskZero %s)', (maskZero) => {
    const backend = testBackend();
    const ours = createLayer({ type: 'Embedding', name: 'emb', inputDim, outputDim, maskZero, embeddingsInitializer: { type: 'RandomNormal', seed: 4 } });
    ours.build([4], { backend, rng: new Rng(1) });
    const x = backend.fromValues([BATCH, 4], ids);
    const y = ours.call(x, true);
    const r = testInputs(y.size, 1, 4);
    const dx = ours.callBackward(backend.fromValues(y.shape, r));
    expect(Array.from(dx.data)).toEqual(new Array(ids.length).fill(0));
    expect([...dx.shape]).toEqual([BATCH, 4]);

    const theirs = tf.layers.embedding({ inputDim, outputDim, maskZero });
    const tx = tf.tensor(ids, [BATCH, 4], 'int32');
    theirs.apply(tx);
    theirs.setWeights(ours.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));
    const ty = theirs.apply(tx) as tf.Tensor;
    expect(ty.shape).toEqual([...y.shape]);
    expectClose(y.data, ty.dataSync());

    const tr = tf.tensor(Array.from(r), ty.shape);
    const table = theirs.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => (theirs.apply(tx) as tf.Tensor).mul(tr).sum() as tf.Scalar, [table]);
    const tGrad = Object.values(grads)[0]!;
    expect(tGrad.shape).toEqual([inputDim, outputDim]);
    expectClose(ours.variables[0]!.grad.data, tGrad.dataSync());

    if (maskZero) {
      const tMask = theirs.computeMask(tx) as tf.Tensor;
      expect(Array.from(ours.computeOutputMask()!.data)).toEqual(Array.from(tMask.dataSync(), Number));
    } else {
      expect(ours.computeOutputMask()).toBeNull();
    }
  });
});
