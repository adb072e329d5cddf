import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { type LossConfig, getLoss } from './index.js';
import { binaryLabels, classIndices, distributions, oneHot, probabilities, reals } from '../testing/loss-test-data.js';
import { testBackend } from '../testing/test-backend.js';

/*
 * Values against TensorFlow.js 4.22 (pure-JS cpu backend, float32) as an independent oracle, within rtol 1e-5 (plus
 * atol 1e-6 for values near 0). Our losses run on the float32 backend. Where tf's conventions differ from Keras 3 the
 * comparison is adapted, as each test says. tfjs' epsilon is 1e-7, as Keras'.
 */

const b = testBackend();
const N = 6;
const C = 4;
const shape = [N, C];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: ${a} differs from tf's ${e} by more than rtol ${rtol}`);
    }
  }
}

/** Our per-row values (reduction none, no weights). */
function rows(config: LossConfig, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, trueShape: number[] = shape): Float64Array {
  return getLoss(config, b).values(b.fromValues(trueShape, yTrue), b.fromValues(shape, yPred));
}

/** Our reduced loss with the default sum_over_batch_size. */
function reduced(config: LossConfig, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, trueShape: number[] = shape): number {
  return getLoss(config, b).call(b.fromValues(trueShape, yTrue), b.fromValues(shape, yPred));
}

const t2 = (v: ArrayLike<number>, s: number[] = shape) => tf.tensor(Array.from(v), s, 'float32');
const data = (t: tf.Tensor) => t.dataSync();

/**
 * tfjs-layers' string losses (Keras 2 formulas, per row, over the last axis) are reached through the public API by
 * evaluating an identity model compiled with that loss: evaluate returns the mean of the per-row values, which is
 * Keras 3's sum_over_batch_size.
 */
function tfLayersLoss(loss: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, trueShape: number[] = shape): number {
  const model = tf.sequential({ layers: [tf.layers.activation({ activation: 'linear', inputShape: [C] })] });
  model.compile({ optimizer: 'sgd', loss });
  const result = model.evaluate(t2(yPred), t2(yTrue, trueShape), { batchSize: N }) as tf.Scalar;
  return result.dataSync()[0]!;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('crossentropies', () => {
  const labels = binaryLabels(N * C);
  const p = probabilities(N * C);
  const z = reals(N * C, 4);
  const hot = oneHot(N, C);

  test('binary_crossentropy = tf.metrics.binaryCrossentropy (per row, clipped probabilities)', () => {
    expectClose(rows('binary_crossentropy', labels, p), data(tf.metrics.binaryCrossentropy(t2(labels), t2(p))));
  });

  test('binary_crossentropy from logits, with label smoothing = tf.losses.sigmoidCrossEntropy', () => {
    // tf smooths as Keras (t·(1 - s) + s/2); it returns element-wise values, so reduction MEAN over all elements
    // equals Keras' mean over the last axis followed by sum_over_batch_size.
    for (const s of [0, 0.2]) {
      const expected = data(tf.losses.sigmoidCrossEntropy(t2(labels), t2(z), undefined, s, tf.Reduction.MEAN));
      expectClose([reduced({ type: 'BinaryCrossentropy', fromLogits: true, labelSmoothing: s }, labels, z)], expected);
    }
  });

  test('binary_crossentropy from probabilities ≈ tf.losses.logLoss', () => {
    // logLoss adds ε inside the logs instead of clipping; for p in [0.1, 0.9] that changes values by < 1e-6 relative.
    const expected = data(tf.losses.logLoss(t2(labels), t2(p), undefined, 1e-7, tf.Reduction.MEAN));
    expectClose([reduced('bce', labels, p)], expected);
  });

  test('categorical_crossentropy = tf.metrics.categoricalCrossentropy (normalize, clip, per row)', () => {
    const unnormalized = p.map((x) => 2 * x); // rows not summing to 1: both normalize first
    expectClose(rows('categorical_crossentropy', hot, unnormalized), data(tf.metrics.categoricalCrossentropy(t2(hot), t2(unnormalized))));
    const soft = distributions(N, C);
    expectClose(rows('categorical_crossentropy', soft, p), data(tf.metrics.categoricalCrossentropy(t2(soft), t2(p))));
  });

  test('categorical_crossentropy from logits, with label smoothing = tf.losses.softmaxCrossEntropy', () => {
    // tf smooths over the number of classes as Keras; Reduction.NONE gives one value per row.
    for (const s of [0, 0.1]) {
      const expected = data(tf.losses.softmaxCrossEntropy(t2(hot), t2(z), undefined, s, tf.Reduction.NONE));
      expectClose(rows({ type: 'CategoricalCrossentropy', fromLogits: true, labelSmoothing: s }, hot, z), expected);
    }
  });

  test('sparse_categorical_crossentropy = tfjs-layers sparseCategoricalCrossentropy', () => {
    const labelsIdx = classIndices(N, C);
    const norm = distributions(N, C, 13);
    expectClose([reduced('sparse_categorical_crossentropy', labelsIdx, norm, [N, 1])], [tfLayersLoss('sparseCategoricalCrossentropy', labelsIdx, norm, [N, 1])]);
    // And it equals categorical crossentropy of the one-hot labels, row by row.
    expectClose(rows('sparse_categorical_crossentropy', labelsIdx, norm, [N]), data(tf.metrics.categoricalCrossentropy(t2(hot.map((_, i) => (labelsIdx[Math.floor(i / C)] === i % C ? 1 : 0))), t2(norm))));
  });

  test('sparse_categorical_crossentropy from logits = tf.losses.softmaxCrossEntropy of one-hot labels', () => {
    const labelsIdx = classIndices(N, C);
    const oneHotLabels = tf.oneHot(tf.tensor1d(Array.from(labelsIdx), 'int32'), C);
    const expected = data(tf.losses.softmaxCrossEntropy(oneHotLabels, t2(z), undefined, 0, tf.Reduction.NONE));
    expectClose(rows({ type: 'SparseCategoricalCrossentropy', fromLogits: true }, labelsIdx, z, [N]), expected);
  });
});

describe('regression and probabilistic losses', () => {
  const y = reals(N * C, 2, 17);
  const x = reals(N * C, 3);

  test('mean_squared_error = tf.metrics.meanSquaredError and tf.losses.meanSquaredError', () => {
    expectClose(rows('mse', y, x), data(tf.metrics.meanSquaredError(t2(y), t2(x))));
    expectClose([reduced('mse', y, x)], data(tf.losses.meanSquaredError(t2(y), t2(x), undefined, tf.Reduction.MEAN)));
  });

  test('mean_absolute_error = tf.metrics.meanAbsoluteError and tf.losses.absoluteDifference', () => {
    expectClose(rows('mae', y, x), data(tf.metrics.meanAbsoluteError(t2(y), t2(x))));
    expectClose([reduced('mae', y, x)], data(tf.losses.absoluteDifference(t2(y), t2(x), undefined, tf.Reduction.MEAN)));
  });

  test('mean_absolute_percentage_error = tf.metrics.meanAbsolutePercentageError (including a target of 0)', () => {
    expect(y[0]).toBe(0); // |y| is clipped to ε: a huge but finite percentage
    expectClose(rows('mape', y, x), data(tf.metrics.meanAbsolutePercentageError(t2(y), t2(x))));
  });

  test('huber = tf.losses.huberLoss (element-wise, so reduction MEAN = Keras mean then sum_over_batch_size)', () => {
    for (const delta of [1, 0.5]) {
      const expected = data(tf.losses.huberLoss(t2(y), t2(x), undefined, delta, tf.Reduction.MEAN));
      expectClose([reduced({ type: 'Huber', delta }, y, x)], expected);
    }
  });

  test('cosine_similarity = tf.metrics.cosineProximity (the same negative similarity)', () => {
    // tfjs normalizes by sqrt(max(Σx², ε)) where Keras uses max(‖x‖, ε): identical away from near-zero vectors.
    expectClose(rows('cosine_similarity', y, x), data(tf.metrics.cosineProximity(t2(y), t2(x))));
  });

  test('cosine_similarity = tf.losses.cosineDistance - 1 on normalized inputs', () => {
    // cosineDistance is 1 - Σ t·p and assumes unit vectors; Keras' loss is -Σ t̂·p̂.
    const unit = (t: tf.Tensor) => t.div(t.norm('euclidean', -1, true));
    const expected = data(tf.losses.cosineDistance(unit(t2(y)), unit(t2(x)), -1, undefined, tf.Reduction.NONE).reshape([N]).sub(1));
    expectClose(rows('cosine_similarity', y, x), expected);
  });

  test.each([
    ['log_cosh', 'logcosh'],
    ['msle', 'meanSquaredLogarithmicError'],
  ])('%s = tfjs-layers %s', (ours, theirs) => {
    const positive = probabilities(N * C, 21).map((v) => 3 * v);
    expectClose([reduced(ours, y, x)], [tfLayersLoss(theirs, y, x)]);
    expectClose([reduced(ours, positive, x)], [tfLayersLoss(theirs, positive, x)]);
  });

  test('poisson = tfjs-layers poisson', () => {
    const counts = probabilities(N * C, 4).map((v) => Math.round(5 * v));
    const rate = probabilities(N * C).map((v) => 3 * v);
    expectClose([reduced('poisson', counts, rate)], [tfLayersLoss('poisson', counts, rate)]);
  });

  test('kl_divergence = tfjs-layers kullbackLeiblerDivergence (both clipped to [ε, 1])', () => {
    const t = distributions(N, C);
    const pr = distributions(N, C, 19);
    expectClose([reduced('kld', t, pr)], [tfLayersLoss('kullbackLeiblerDivergence', t, pr)]);
    const hard = oneHot(N, C); // zeros in yTrue are clipped to ε
    expectClose([reduced('kld', hard, pr)], [tfLayersLoss('kullbackLeiblerDivergence', hard, pr)]);
  });
});

describe('hinge losses', () => {
  const labels01 = binaryLabels(N * C);
  const labelsPm = labels01.map((v) => 2 * v - 1);
  const x = reals(N * C, 2);

  test('hinge with {0, 1} labels = tf.losses.hingeLoss (which always maps labels l to 2l - 1)', () => {
    expectClose([reduced('hinge', labels01, x)], data(tf.losses.hingeLoss(t2(labels01), t2(x), undefined, tf.Reduction.MEAN)));
  });

  test('hinge and squared_hinge with {-1, 1} labels = tfjs-layers (which never converts labels)', () => {
    expectClose([reduced('hinge', labelsPm, x)], [tfLayersLoss('hinge', labelsPm, x)]);
    expectClose([reduced('squared_hinge', labelsPm, x)], [tfLayersLoss('squaredHinge', labelsPm, x)]);
    // Keras converts {0, 1} labels, so they give the same values as their {-1, 1} form.
    expectClose([reduced('squared_hinge', labels01, x)], [tfLayersLoss('squaredHinge', labelsPm, x)]);
  });

  test('categorical_hinge = tfjs-layers categoricalHinge', () => {
    const hot = oneHot(N, C);
    expectClose([reduced('categorical_hinge', hot, x)], [tfLayersLoss('categoricalHinge', hot, x)]);
  });
});
