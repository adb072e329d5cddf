import { describe, expect, it } from 'vitest';
import { DatasetError } from '../core/dataset-error.js';
import { encodeTargets } from './encode-targets.js';
import { lossTargets } from './loss-kind.js';
import { type PlanDataset, planTrainingData } from './plan-training-data.js';

const stats = (min: number, max: number, mean = (min + max) / 2) => [{ name: 'label', count: 10, min, max, mean, std: 1 }];

/** A digits-like dataset: 64 features, one integer label column 0..9. */
const digits: PlanDataset = {
  rows: 1438,
  featureShape: [64],
  labelShape: [1],
  classNames: null,
  classCounts: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k), 143])),
  labelStats: stats(0, 9),
};
const mlp = (units: number, input = [64]) => ({ inputShapes: [input], outputShapes: [[units]] });

function thrown(f: () => unknown): DatasetError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected an error');
}

describe('lossTargets', () => {
  it('resolves any spelling, alias, class name and one-output list or record', () => {
    for (const loss of ['categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy', { type: 'CategoricalCrossentropy', labelSmoothing: 0.1 },
      ['categorical_crossentropy'], { out: 'categorical_crossentropy' }]) {
      expect(lossTargets(loss)).toEqual({ name: 'categorical_crossentropy', kind: 'categorical', ignoreClass: null });
    }
    expect(lossTargets('kld').kind).toBe('categorical');
    expect(lossTargets({ type: 'KLDivergence' }).name).toBe('kl_divergence');
    expect(lossTargets('categorical_hinge').kind).toBe('categorical');
    expect(lossTargets('categoricalFocalCrossentropy').kind).toBe('categorical');
    expect(lossTargets({ type: 'SparseCategoricalCrossentropy', ignoreClass: -1 })).toEqual({ name: 'sparse_categorical_crossentropy', kind: 'sparse', ignoreClass: -1 });
    for (const raw of ['mse', 'MeanAbsoluteError', 'huber_loss', 'binary_crossentropy', 'poisson', 'hinge', 'cosine_similarity', 'logcosh', 'dice']) {
      expect(lossTargets(raw).kind, raw).toBe('raw');
    }
    expect(thrown(() => lossTargets('cross_entropy')).message)
      .toBe('unknown loss "cross_entropy"; expected a Keras loss such as "categorical_crossentropy" or {"type": "MeanSquaredError"}');
  });
});

describe('planTrainingData', () => {
  it('one-hot encodes integer labels for categorical losses', () => {
    expect(planTrainingData(digits, mlp(10), 'categorical_crossentropy')).toEqual({
      inputShape: [64], targetEncoding: 'one-hot', numClasses: 10, targetShape: [10], loss: 'categorical_crossentropy', ignoreClass: null,
    });
    expect(planTrainingData(digits, mlp(12), 'kl_divergence')).toMatchObject({ targetEncoding: 'one-hot', numClasses: 12 });
  });

  it('keeps indices for sparse losses, numClasses being the dataset\'s classes', () => {
    expect(planTrainingData(digits, mlp(16), 'sparseCategoricalCrossentropy')).toEqual({
      inputShape: [64], targetEncoding: 'index', numClasses: 10, targetShape: [1], loss: 'sparse_categorical_crossentropy', ignoreClass: null,
    });
    const species = { ...digits, classNames: ['setosa', 'versicolor', 'virginica'], classCounts: { setosa: 1, versicolor: 1, virginica: 1 }, labelStats: stats(0, 2) };
    expect(planTrainingData(species, mlp(3), 'sparse_categorical_crossentropy')).toMatchObject({ targetEncoding: 'index', numClasses: 3 });
  });

  it('uses labels as they are for other losses and for labels already shaped like the output', () => {
    const regression = { ...digits, classCounts: null, labelShape: [2], labelStats: [] };
    expect(planTrainingData(regression, mlp(2), 'mse')).toMatchObject({ targetEncoding: 'raw', numClasses: null, targetShape: [2] });
    const oneHot = { ...digits, classCounts: null, labelShape: [10] };
    expect(planTrainingData(oneHot, mlp(10), 'categorical_crossentropy')).toMatchObject({ targetEncoding: 'raw', targetShape: [10] });
    expect(planTrainingData({ ...digits, labelStats: stats(0, 1) }, mlp(1), 'binary_crossentropy')).toMatchObject({ targetEncoding: 'raw', targetShape: [1] });
  });

  it('feeds flat features to a model whose input has the same number of values', () => {
    const mnist = { ...digits, featureShape: [784] };
    expect(planTrainingData(mnist, mlp(10, [28, 28, 1]), 'categorical_crossentropy').inputShape).toEqual([28, 28, 1]);
  });

  it('refuses models with several inputs or outputs', () => {
    const error = thrown(() => planTrainingData(digits, { inputShapes: [[64], [3]], outputShapes: [[10]] }, 'mse'));
    expect(error.code).toBe('SHAPE_MISMATCH');
    expect(error.message).toBe('the model has 2 inputs and 1 output; a dataset can feed only a model with one input and one output');
    expect(thrown(() => planTrainingData(digits, { inputShapes: [[64]], outputShapes: [[10], [1]] }, 'mse')).message)
      .toBe('the model has 1 input and 2 outputs; a dataset can feed only a model with one input and one output');
  });

  it('refuses an input shape that does not take the dataset\'s features', () => {
    expect(thrown(() => planTrainingData(digits, mlp(10, [28, 28, 1]), 'categorical_crossentropy')).message)
      .toBe("the model's input shape [28,28,1] takes 784 values per sample; dataset features have 64");
    expect(thrown(() => planTrainingData({ ...digits, featureShape: [8, 8, 2] }, mlp(10), 'mse')).message)
      .toBe("the model's input shape [64] takes 64 values per sample; dataset features have 128 (shape [8,8,2])");
  });

  it('refuses labels that do not fit the output under the loss', () => {
    expect(thrown(() => planTrainingData(digits, mlp(10), 'mse')).message).toBe('the model outputs [10] (10 values per sample); the dataset labels have shape [1] '
      + '(1 value); with mean_squared_error they must have the same size; class labels with this output need categorical_crossentropy or sparse_categorical_crossentropy');
    const oneHot = { ...digits, classCounts: null, labelShape: [10] };
    expect(thrown(() => planTrainingData(oneHot, mlp(10), 'sparse_categorical_crossentropy')).message)
      .toBe('sparse_categorical_crossentropy takes one class index per output row (shape [1] for an output of [10]); the dataset labels have shape [10] '
        + '(one-hot labels? use categorical_crossentropy)');
    expect(thrown(() => planTrainingData({ ...digits, labelShape: [3] }, mlp(10), 'categorical_crossentropy')).message)
      .toBe('the model outputs [10]; categorical_crossentropy needs labels of that shape (one-hot) or one class index per output row (shape [1]); '
        + 'the dataset labels have shape [3]');
  });

  it('refuses class labels the output cannot hold, and non-integer labels', () => {
    const labels = thrown(() => planTrainingData(digits, mlp(8), 'categorical_crossentropy'));
    expect(labels.code).toBe('INVALID_LABEL');
    expect(labels.message).toBe('labels range over [0, 9]; with 8 output units, categorical_crossentropy needs integer class labels in [0, 8)');
    const names = { ...digits, classNames: ['a', 'b', 'c', 'd'], classCounts: { a: 1, b: 1, c: 1, d: 1 }, labelStats: stats(0, 3) };
    expect(thrown(() => planTrainingData(names, mlp(3), 'sparse_categorical_crossentropy')).message)
      .toBe('the dataset has 4 classes ("a", "b", "c", "d") but the model outputs 3 units; sparse_categorical_crossentropy needs one unit per class');
    const reals = { ...digits, classCounts: null, labelStats: stats(0, 2.5, 1.25) };
    expect(thrown(() => planTrainingData(reals, mlp(3), 'categorical_crossentropy')).message)
      .toBe('labels are not all integers (they range over [0, 2.5] with mean 1.25); categorical_crossentropy needs integer class labels in [0, 3)');
    const negative = { ...digits, classCounts: { '-1': 3, 0: 2, 1: 2 }, labelStats: stats(-1, 1) };
    expect(thrown(() => planTrainingData(negative, mlp(2), 'sparse_categorical_crossentropy')).code).toBe('INVALID_LABEL');
    expect(planTrainingData(negative, mlp(2), { type: 'SparseCategoricalCrossentropy', ignoreClass: -1 })).toMatchObject({ targetEncoding: 'index', ignoreClass: -1 });
  });
});

describe('encodeTargets', () => {
  const four = { ...digits, classCounts: { 0: 1, 1: 1, 2: 1, 3: 1 }, labelStats: stats(0, 3) };
  const oneHot = planTrainingData(four, mlp(4), 'categorical_crossentropy');

  it('one-hot encodes class indices', () => {
    expect(Array.from(encodeTargets(new Float32Array([2, 0, 3]), 3, oneHot))).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('one-hot encodes one label per output row for outputs of several rows', () => {
    const segmentation = planTrainingData({ ...digits, featureShape: [4], labelShape: [2, 1], classCounts: null, labelStats: [] }, { inputShapes: [[4]], outputShapes: [[2, 3]] }, 'categorical_crossentropy');
    expect(segmentation).toMatchObject({ targetEncoding: 'one-hot', numClasses: 3, targetShape: [2, 3] });
    expect(Array.from(encodeTargets(new Float32Array([2, 0, 1, 1]), 2, segmentation))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0]);
  });

  it('keeps indices and raw labels as they are (the same array)', () => {
    const y = new Float32Array([1, 0, 9]);
    expect(encodeTargets(y, 3, planTrainingData(digits, mlp(10), 'sparse_categorical_crossentropy'))).toBe(y);
    const raw = new Float32Array([0.5, -2, 7.25]);
    expect(encodeTargets(raw, 3, planTrainingData({ ...digits, labelStats: stats(-2, 7.25) }, mlp(1), 'mse'))).toBe(raw);
  });

  it('names the row of a label that is not an integer class in range', () => {
    const half = thrown(() => encodeTargets(new Float32Array([1, 0, 2.5]), 3, oneHot));
    expect(half.code).toBe('INVALID_LABEL');
    expect(half.row).toBe(3);
    expect(half.message).toBe('row 3: label 2.5 is not an integer class index; categorical_crossentropy needs integer class labels in [0, 4)');
    expect(thrown(() => encodeTargets(new Float32Array([12]), 1, oneHot)).message)
      .toBe('row 1: label 12 is not a class index in [0, 4); categorical_crossentropy needs integer class labels in [0, 4)');
    expect(thrown(() => encodeTargets(new Float32Array([-1]), 1, oneHot)).message)
      .toBe('row 1: label -1 is not a class index in [0, 4); categorical_crossentropy needs integer class labels in [0, 4)');
  });

  it('lets the ignored class through under sparse_categorical_crossentropy', () => {
    const plan = planTrainingData({ ...digits, labelStats: stats(-1, 9) }, mlp(10), { type: 'SparseCategoricalCrossentropy', ignoreClass: -1 });
    const y = new Float32Array([-1, 3, -1]);
    expect(encodeTargets(y, 3, plan)).toBe(y);
  });
});
