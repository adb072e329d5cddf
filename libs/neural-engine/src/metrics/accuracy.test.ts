import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Accuracy, BinaryAccuracy } from './accuracy.js';
import { CategoricalAccuracy, SparseCategoricalAccuracy } from './categorical-accuracy.js';
import { type Batch, concat, resultOver, tensor, weightedMean } from '../testing/metric-batches.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k-accuracy.js';
import { Rng } from '../rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random class scores [rows, cols] without ties, and integer labels. */
function classification(rng: Rng, rows: number, cols: number): { scores: number[]; labels: number[]; oneHot: number[] } {
  const scores = Array.from({ length: rows * cols }, () => rng.uniform());
  const labels = Array.from({ length: rows }, () => rng.int(cols));
  const oneHot = labels.flatMap((l) => Array.from({ length: cols }, (_, c) => (c === l ? 1 : 0)));
  return { scores, labels, oneHot };
}

describe('Accuracy (exact equality)', () => {
  test('Keras docstring example, two batches with weights, and reset', () => {
    // Batch 1: labels 1,2,3,4 vs predictions 0,2,3,4 → matches 0,1,1,1. Batch 2: 5,6 vs 5,0 → 1,0.
    const b1: Batch = { yTrue: tensor([4, 1], [1, 2, 3, 4]), yPred: tensor([4, 1], [0, 2, 3, 4]), sampleWeight: [1, 1, 0, 0] };
    const b2: Batch = { yTrue: tensor([2, 1], [5, 6]), yPred: tensor([2, 1], [5, 0]), sampleWeight: [2, 1] };
    const m = new Accuracy();
    expect(resultOver(m, [{ ...b1, sampleWeight: null }])).toBeCloseTo(0.75, 12);
    // Weighted: (0·1 + 1·1 + 1·0 + 1·0 + 1·2 + 0·1) / (1 + 1 + 0 + 0 + 2 + 1) = 3 / 5.
    expect(resultOver(m, [b1, b2])).toBeCloseTo(3 / 5, 12);
    m.reset();
    expect(m.result()).toBe(0);
    m.update(b2.yTrue, b2.yPred, b2.sampleWeight);
    expect(m.result()).toBeCloseTo(2 / 3, 12);
  });

  test('multi-column rows average over the last axis per sample', () => {
    // Sample 0: [1,2] vs [1,0] → 0.5; sample 1: [3,4] vs [3,4] → 1. Weighted by [1, 3]: (0.5 + 3) / 4.
    const m = new Accuracy();
    expect(resultOver(m, [{ yTrue: tensor([2, 2], [1, 2, 3, 4]), yPred: tensor([2, 2], [1, 0, 3, 4]), sampleWeight: [1, 3] }])).toBeCloseTo(3.5 / 4, 12);
  });
});

describe('against TensorFlow.js', () => {
  const rng = new Rng(7);
  const rows = [6, 9];
  const cols = 4;
  const data = rows.map((r) => classification(rng, r, cols));
  const weights = rows.map((r) => Array.from({ length: r }, () => Math.round(rng.uniform() * 4) / 2));

  test('BinaryAccuracy (threshold 0.5 and 0.7) matches tf.metrics.binaryAccuracy per sample, weighted over two batches', () => {
    const probs = rows.map((r) => Array.from({ length: r * 3 }, () => rng.uniform()));
    const labels = rows.map((r) => Array.from({ length: r * 3 }, () => (rng.uniform() < 0.5 ? 1 : 0)));
    const perSample = tf.metrics.binaryAccuracy(tf.tensor2d(concat(...labels), [15, 3]), tf.tensor2d(concat(...probs), [15, 3])).dataSync();
    const batches = rows.map((r, i): Batch => ({ yTrue: tensor([r, 3], labels[i]!), yPred: tensor([r, 3], probs[i]!), sampleWeight: weights[i] }));
    const m = new BinaryAccuracy();
    expect(resultOver(m, batches)).toBeCloseTo(weightedMean(perSample, concat(...weights)), 6);
    // Threshold 0.7: compared by hand with the definition (tf.js has no threshold argument).
    const high = new BinaryAccuracy({ threshold: 0.7 });
    const all = concat(...probs);
    const lab = concat(...labels);
    const manual = Array.from({ length: 15 }, (_, s) => [0, 1, 2].reduce((a, c) => a + (lab[s * 3 + c] === (all[s * 3 + c]! > 0.7 ? 1 : 0) ? 1 : 0), 0) / 3);
    expect(resultOver(high, batches)).toBeCloseTo(weightedMean(manual, concat(...weights)), 12);
  });

  test('CategoricalAccuracy and SparseCategoricalAccuracy match tf.js', () => {
    const yTrue = tf.tensor2d(concat(...data.map((d) => d.oneHot)), [15, cols]);
    const yPred = tf.tensor2d(concat(...data.map((d) => d.scores)), [15, cols]);
    const expected = weightedMean(tf.metrics.categoricalAccuracy(yTrue, yPred).dataSync(), concat(...weights));
    const sparseExpected = weightedMean(
      tf.metrics.sparseCategoricalAccuracy(tf.tensor2d(concat(...data.map((d) => d.labels)), [15, 1]), yPred).dataSync(),
      concat(...weights),
    );
    expect(sparseExpected).toBeCloseTo(expected, 12);
    const cat = new CategoricalAccuracy();
    const sparse = new SparseCategoricalAccuracy();
    expect(resultOver(cat, data.map((d, i) => ({ yTrue: tensor([rows[i]!, cols], d.oneHot), yPred: tensor([rows[i]!, cols], d.scores), sampleWeight: weights[i] })))).toBeCloseTo(expected, 12);
    // Integer labels of shape [batch] (and [batch, 1] below) both work.
    expect(resultOver(sparse, data.map((d, i) => ({ yTrue: tensor([rows[i]!], d.labels), yPred: tensor([rows[i]!, cols], d.scores), sampleWeight: weights[i] })))).toBeCloseTo(expected, 12);
    expect(resultOver(sparse, data.map((d, i) => ({ yTrue: tensor([rows[i]!, 1], d.labels), yPred: tensor([rows[i]!, cols], d.scores), sampleWeight: weights[i] })))).toBeCloseTo(expected, 12);
  });

  test('TopK and SparseTopK (k = 1, 2 and default 5 over 7 classes) match tf.inTopKAsync', async () => {
    const c7 = rows.map((r) => classification(rng, r, 7));
    const scores = tf.tensor2d(concat(...c7.map((d) => d.scores)), [15, 7]);
    const targets = tf.tensor1d(concat(...c7.map((d) => d.labels)), 'int32');
    for (const k of [1, 2, 5]) {
      const hits = Array.from(await (await tf.inTopKAsync(scores, targets, k)).data());
      const expected = weightedMean(hits, concat(...weights));
      const dense = k === 5 ? new TopKCategoricalAccuracy() : new TopKCategoricalAccuracy({ k });
      const sparse = k === 5 ? new SparseTopKCategoricalAccuracy() : new SparseTopKCategoricalAccuracy({ k });
      expect(dense.getConfig()).toMatchObject({ k });
      expect(resultOver(dense, c7.map((d, i) => ({ yTrue: tensor([rows[i]!, 7], d.oneHot), yPred: tensor([rows[i]!, 7], d.scores), sampleWeight: weights[i] })))).toBeCloseTo(expected, 12);
      expect(resultOver(sparse, c7.map((d, i) => ({ yTrue: tensor([rows[i]!], d.labels), yPred: tensor([rows[i]!, 7], d.scores), sampleWeight: weights[i] })))).toBeCloseTo(expected, 12);
    }
  });
});

test('top-k counts ties at the boundary as in (TensorFlow in_top_k)', () => {
  // Scores [0.5, 0.5, 0.1]: class 1 has no strictly larger score, so it is in the top 1 even though 0 ties with it.
  const m = new SparseTopKCategoricalAccuracy({ k: 1 });
  expect(resultOver(m, [{ yTrue: tensor([1], [1]), yPred: tensor([1, 3], [0.5, 0.5, 0.1]) }])).toBe(1);
});

test('sequence outputs: accuracy per time step, averaged per sample before weighting', () => {
  // yPred [2 samples, 2 steps, 2 classes]. Sample 0: both steps right (1); sample 1: one of two right (0.5).
  const yPred = tensor([2, 2, 2], [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7]);
  const yTrue = tensor([2, 2], [0, 1, 0, 0]);
  const m = new SparseCategoricalAccuracy();
  expect(resultOver(m, [{ yTrue, yPred, sampleWeight: [1, 3] }])).toBeCloseTo((1 + 3 * 0.5) / 4, 12);
});
