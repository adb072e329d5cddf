import { describe, expect, test } from 'vitest';
import { float64Backend, maxRelativeError, numericGradient } from '../testing/gradient-check.js';
import { type LossConfig, getLoss } from './index.js';
import { binaryLabels, classIndices, distributions, oneHot, oneHotAlong, probabilities, reals } from '../testing/loss-test-data.js';

/*
 * Finite-difference checks of d(reduced loss)/d(yPred) for every loss and option, on the float64 backend: centered
 * differences (h = 1e-6) against callWithGradient, max relative error < 1e-6 (floor 1e-4). Probabilities are drawn
 * from [0.1, 0.9] (0.5 included) so the ε-clips stay inactive; logits and regression inputs include 0 and negatives.
 */

const TOLERANCE = 1e-6;
const b = float64Backend;

interface Case {
  config: LossConfig;
  shape: number[];
  yTrue: Float64Array;
  yPred: Float64Array;
  yTrueShape?: number[];
  sampleWeight?: number[];
}

function check({ config, shape, yTrue, yPred, yTrueShape, sampleWeight }: Case): void {
  const loss = getLoss(config, b);
  const t = b.fromValues(yTrueShape ?? shape, yTrue);
  const f = (x: Float64Array) => loss.call(t, b.fromValues(shape, x), sampleWeight);
  const { loss: value, grad } = loss.callWithGradient(t, b.fromValues(shape, yPred), sampleWeight);
  expect(value).toBeCloseTo(f(yPred), 12);
  expect(grad.shape).toEqual(shape);
  const numeric = numericGradient(f, yPred);
  // The check must be able to fail: the gradient is not identically zero.
  expect(Math.max(...numeric.map(Math.abs))).toBeGreaterThan(1e-4);
  expect(maxRelativeError(grad.data, numeric)).toBeLessThan(TOLERANCE);
}

const W = [0.5, 2, 0, 1.25]; // one weight per sample of a batch of 4; 0 removes a sample

describe('crossentropies', () => {
  const shape = [4, 3];
  test.each([
    ['binary, probabilities', { type: 'BinaryCrossentropy' }, binaryLabels(12), probabilities(12)],
    ['binary, soft labels', { type: 'BinaryCrossentropy' }, probabilities(12, 9), probabilities(12)],
    ['binary, logits', { type: 'BinaryCrossentropy', fromLogits: true }, binaryLabels(12), reals(12, 4)],
    ['binary, smoothing', { type: 'BinaryCrossentropy', labelSmoothing: 0.2 }, binaryLabels(12), probabilities(12)],
    ['binary, logits + smoothing', { type: 'BinaryCrossentropy', fromLogits: true, labelSmoothing: 0.3 }, binaryLabels(12), reals(12, 4)],
    ['categorical, probabilities', { type: 'CategoricalCrossentropy' }, oneHot(4, 3), probabilities(12)],
    ['categorical, soft labels', { type: 'CategoricalCrossentropy' }, distributions(4, 3), probabilities(12)],
    ['categorical, logits', { type: 'CategoricalCrossentropy', fromLogits: true }, oneHot(4, 3), reals(12, 4)],
    ['categorical, smoothing', { type: 'CategoricalCrossentropy', labelSmoothing: 0.1 }, oneHot(4, 3), probabilities(12)],
    ['categorical, logits + smoothing', { type: 'CategoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1 }, oneHot(4, 3), reals(12, 4)],
    ['binary focal', { type: 'BinaryFocalCrossentropy' }, binaryLabels(12), probabilities(12)],
    ['binary focal, balanced, gamma 0.5', { type: 'BinaryFocalCrossentropy', applyClassBalancing: true, alpha: 0.3, gamma: 0.5 }, binaryLabels(12), probabilities(12)],
    ['binary focal, logits + smoothing', { type: 'BinaryFocalCrossentropy', fromLogits: true, labelSmoothing: 0.2, gamma: 3 }, binaryLabels(12), reals(12, 4)],
    ['binary focal, gamma 0', { type: 'BinaryFocalCrossentropy', gamma: 0 }, binaryLabels(12), probabilities(12)],
    ['categorical focal', { type: 'CategoricalFocalCrossentropy' }, oneHot(4, 3), probabilities(12)],
    ['categorical focal, logits', { type: 'CategoricalFocalCrossentropy', fromLogits: true, gamma: 1.5 }, oneHot(4, 3), reals(12, 4)],
    ['categorical focal, smoothing + per-class alpha', { type: 'CategoricalFocalCrossentropy', labelSmoothing: 0.2, alpha: [0.2, 0.5, 1] }, oneHot(4, 3), probabilities(12)],
  ] as const)('%s', (_name, config, yTrue, yPred) => {
    check({ config, shape, yTrue, yPred });
    check({ config, shape, yTrue, yPred, sampleWeight: W });
  });

  test.each([
    ['probabilities', { type: 'SparseCategoricalCrossentropy' }, probabilities(12)],
    ['logits', { type: 'SparseCategoricalCrossentropy', fromLogits: true }, reals(12, 4)],
  ] as const)('sparse, %s, labels of shape [4] and [4, 1]', (_name, config, yPred) => {
    const labels = classIndices(4, 3);
    check({ config, shape, yTrue: labels, yPred, yTrueShape: [4] });
    check({ config, shape, yTrue: labels, yPred, yTrueShape: [4, 1], sampleWeight: W });
  });

  test('sparse with ignoreClass: ignored rows get no gradient and leave the mean', () => {
    const labels = Float64Array.of(1, -1, 2, 0);
    const config = { type: 'SparseCategoricalCrossentropy', fromLogits: true, ignoreClass: -1 };
    check({ config, shape, yTrue: labels, yPred: reals(12, 4), yTrueShape: [4] });
    const { grad } = getLoss(config, b).callWithGradient(b.fromValues([4], labels), b.fromValues(shape, reals(12, 4)));
    expect(Array.from(grad.data.slice(3, 6))).toEqual([0, 0, 0]);
  });
});

describe('class axis other than the last, on a 3-D tensor [2, 3, 4] (axis 1)', () => {
  const shape = [2, 3, 4];
  const labels = classIndices(8, 3); // one label per (sample, position): shape [2, 4]
  const hot = oneHotAlong(labels, 2, 3, 4);
  test.each([
    ['binary', { type: 'BinaryCrossentropy', axis: 1, labelSmoothing: 0.1 }, binaryLabels(24), probabilities(24)],
    ['binary, logits', { type: 'BinaryCrossentropy', axis: -2, fromLogits: true }, binaryLabels(24), reals(24, 4)],
    ['categorical', { type: 'CategoricalCrossentropy', axis: 1, labelSmoothing: 0.1 }, hot, probabilities(24)],
    ['categorical, logits', { type: 'CategoricalCrossentropy', axis: 1, fromLogits: true }, hot, reals(24, 4)],
    ['binary focal', { type: 'BinaryFocalCrossentropy', axis: 1, applyClassBalancing: true }, binaryLabels(24), probabilities(24)],
    ['categorical focal, logits', { type: 'CategoricalFocalCrossentropy', axis: 1, fromLogits: true }, hot, reals(24, 4)],
    ['cosine similarity', { type: 'CosineSimilarity', axis: 1 }, reals(24, 2, 11), reals(24)],
  ] as const)('%s', (_name, config, yTrue, yPred) => {
    check({ config, shape, yTrue, yPred, sampleWeight: [0.3, 1.7] });
  });

  test('sparse, labels of shape [2, 4]', () => {
    check({ config: { type: 'SparseCategoricalCrossentropy', axis: 1 }, shape, yTrue: labels, yTrueShape: [2, 4], yPred: probabilities(24) });
    check({ config: { type: 'SparseCategoricalCrossentropy', axis: 1, fromLogits: true }, shape, yTrue: labels, yTrueShape: [2, 1, 4], yPred: reals(24, 4) });
  });
});

describe('regression, probabilistic and hinge losses', () => {
  const shape = [4, 3];
  const targets = reals(12, 2, 17);
  test.each([
    ['mean_squared_error', reals(12)],
    ['mean_absolute_error', reals(12)], // targets never equal predictions, so no |x| kink is probed
    ['log_cosh', reals(12, 4)],
    ['cosine_similarity', reals(12)],
  ] as const)('%s', (config, yPred) => {
    check({ config, shape, yTrue: targets, yPred });
    check({ config, shape, yTrue: targets, yPred, sampleWeight: W });
  });

  test('mean_absolute_percentage_error (targets away from 0)', () => {
    const t = targets.map((x) => (x >= 0 ? x + 0.5 : x - 0.5));
    check({ config: 'mape', shape, yTrue: t, yPred: reals(12), sampleWeight: W });
  });

  test('huber, both branches (|error| below and above delta)', () => {
    const yPred = reals(12, 3);
    for (const delta of [1, 0.4]) check({ config: { type: 'Huber', delta }, shape, yTrue: targets, yPred, sampleWeight: W });
  });

  test('mean_squared_logarithmic_error', () => {
    // max(yPred, ε) has a kink at ε ≈ 0, so the finite-difference probe at 0 is shifted to 0.3 ...
    const yPred = reals(12).map((x) => (x === 0 ? 0.3 : x));
    check({ config: 'msle', shape, yTrue: probabilities(12, 4), yPred, sampleWeight: W });
    // ... and the gradient at 0 and at negatives (flat region below ε) is checked analytically: it is 0.
    const loss = getLoss('msle', b);
    const { grad } = loss.callWithGradient(b.fromValues([1, 3], [0.5, 0.5, 0.5]), b.fromValues([1, 3], [0, -1, 0.8]));
    expect(grad.data[0]).toBe(0);
    expect(grad.data[1]).toBe(0);
    expect(grad.data[2]).not.toBe(0);
  });

  test('poisson (yPred > 0: it takes log(yPred + ε))', () => {
    check({ config: 'poisson', shape, yTrue: probabilities(12, 4).map((x) => 3 * x), yPred: probabilities(12).map((x) => 2 * x), sampleWeight: W });
  });

  test('kl_divergence', () => {
    check({ config: 'kld', shape, yTrue: distributions(4, 3), yPred: probabilities(12), sampleWeight: W });
  });

  test.each(['hinge', 'squared_hinge'])('%s with {0, 1} labels and with {-1, 1} labels', (config) => {
    const labels = binaryLabels(12);
    check({ config, shape, yTrue: labels, yPred: reals(12), sampleWeight: W });
    check({ config, shape, yTrue: labels.map((x) => 2 * x - 1), yPred: reals(12, 3) });
  });

  test('categorical_hinge', () => {
    check({ config: 'categorical_hinge', shape, yTrue: oneHot(4, 3), yPred: reals(12, 3), sampleWeight: W });
  });
});

describe('segmentation losses', () => {
  const shape = [2, 3, 3, 1];
  const yTrue = binaryLabels(18);
  const yPred = probabilities(18);
  test.each([
    { type: 'Dice' },
    { type: 'Dice', axis: [1, 2, 3] },
    { type: 'Dice', axis: [-3, -2] },
    { type: 'Tversky' },
    { type: 'Tversky', alpha: 0.7, beta: 0.3, axis: [1, 2, 3] },
    { type: 'Tversky', alpha: 0.2, beta: 0.9, axis: 2 },
  ])('%o', (config) => {
    check({ config, shape, yTrue, yPred });
    check({ config, shape, yTrue, yPred, sampleWeight: [0.4, 1.5] });
  });
});

describe('every reduction, with and without sample weights', () => {
  const reductions = ['sum_over_batch_size', 'sum', 'mean', 'none'] as const;
  test.each(reductions)('%s', (reduction) => {
    const shape = [4, 3];
    for (const sampleWeight of [undefined, W]) {
      check({ config: { type: 'CategoricalCrossentropy', fromLogits: true, reduction }, shape, yTrue: oneHot(4, 3), yPred: reals(12, 3), sampleWeight });
      check({ config: { type: 'MeanSquaredError', reduction }, shape, yTrue: reals(12, 2, 5), yPred: reals(12), sampleWeight });
      check({ config: { type: 'SparseCategoricalCrossentropy', ignoreClass: 2, reduction }, shape, yTrue: Float64Array.of(2, 0, 1, 2), yTrueShape: [4], yPred: probabilities(12), sampleWeight });
      check({ config: { type: 'Dice', reduction }, shape, yTrue: binaryLabels(12), yPred: probabilities(12), sampleWeight });
      check({ config: { type: 'BinaryCrossentropy', axis: 0, reduction }, shape, yTrue: binaryLabels(12), yPred: probabilities(12) });
    }
  });
});
