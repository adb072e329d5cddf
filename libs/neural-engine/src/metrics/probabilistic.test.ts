import { describe, expect, test } from 'vitest';
import { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy } from './probabilistic.js';
import { type Batch, resultOver, tensor, weightedMean } from '../testing/metric-batches.js';

const EPS = 1e-7;
const { log } = Math;

/*
 * Hand-derived values (Keras 3 formulas; the first batch of each is the Keras docstring example). Each metric sees two
 * batches with sample weights; the expected value is the weighted mean of the per-sample values written out below.
 */

describe('BinaryCrossentropy', () => {
  const b1: Batch = { yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [0.6, 0.4, 0.4, 0.6]), sampleWeight: [1, 0] };
  const b2: Batch = { yTrue: tensor([1, 2], [1, 1]), yPred: tensor([1, 2], [0.9, 1]), sampleWeight: [2] };
  // Sample values: mean over the row of -(y·log p + (1-y)·log(1-p)), p clipped to [ε, 1-ε].
  const s1 = -(log(0.4) + log(0.4)) / 2; // [0,1] vs [0.6,0.4]
  const s2 = -(log(0.6) + log(0.4)) / 2; // [0,0] vs [0.4,0.6]
  const s3 = -(log(0.9) + log(1 - EPS)) / 2; // [1,1] vs [0.9,1]: 1 is clipped to 1-ε

  test('unweighted docstring value, two weighted batches, reset', () => {
    const m = new BinaryCrossentropy();
    expect(resultOver(m, [{ ...b1, sampleWeight: null }])).toBeCloseTo((s1 + s2) / 2, 12);
    expect((s1 + s2) / 2).toBeCloseTo(0.81492424, 6); // Keras docstring
    expect(resultOver(m, [b1, b2])).toBeCloseTo(weightedMean([s1, s2, s3], [1, 0, 2]), 12);
    m.reset();
    expect(m.result()).toBe(0);
    m.update(b2.yTrue, b2.yPred, b2.sampleWeight);
    expect(m.result()).toBeCloseTo(s3, 12);
  });

  test('fromLogits and labelSmoothing', () => {
    // Logit z, smoothed label y' = y·(1 - 0.2) + 0.1: loss = softplus(z) - z·y' = log(1 + e^z) - z·y'.
    const m = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    const z = [2, -1, 0, 3];
    const y = [1, 0, 1, 0];
    const per = z.map((v, i) => log(1 + Math.exp(v)) - v * (y[i]! * 0.8 + 0.1));
    const batches: Batch[] = [
      { yTrue: tensor([2, 1], y.slice(0, 2)), yPred: tensor([2, 1], z.slice(0, 2)), sampleWeight: [1, 2] },
      { yTrue: tensor([2], y.slice(2)), yPred: tensor([2], z.slice(2)), sampleWeight: [3, 4] },
    ];
    expect(resultOver(m, batches)).toBeCloseTo(weightedMean(per, [1, 2, 3, 4]), 12);
  });
});

describe('CategoricalCrossentropy and SparseCategoricalCrossentropy', () => {
  // Docstring: [[0,1,0],[0,0,1]] vs [[0.05,0.95,0],[0.1,0.8,0.1]] → -log 0.95 and -log 0.1.
  const probs = [0.05, 0.95, 0, 0.1, 0.8, 0.1];
  const probs2 = [0.2, 0.3, 0.5];
  const s1 = -log(0.95);
  const s2 = -log(0.1);
  // Second batch: [0.2, 0.3, 0.5] with label class 2 → -log 0.5.
  const s3 = -log(0.5);

  test('docstring values and two weighted batches (one-hot and integer labels agree)', () => {
    const cce = new CategoricalCrossentropy();
    const scce = new SparseCategoricalCrossentropy();
    const unweighted = (s1 + s2) / 2;
    expect(unweighted).toBeCloseTo(1.1769392, 6); // Keras docstring
    expect(resultOver(cce, [{ yTrue: tensor([2, 3], [0, 1, 0, 0, 0, 1]), yPred: tensor([2, 3], probs) }])).toBeCloseTo(unweighted, 12);
    expect(0.3 * s1 + 0.7 * s2).toBeCloseTo(1.6271976, 6); // Keras docstring, weights [0.3, 0.7]
    const expected = weightedMean([s1, s2, s3], [0.3, 0.7, 2]);
    expect(resultOver(cce, [
      { yTrue: tensor([2, 3], [0, 1, 0, 0, 0, 1]), yPred: tensor([2, 3], probs), sampleWeight: [0.3, 0.7] },
      { yTrue: tensor([1, 3], [0, 0, 1]), yPred: tensor([1, 3], probs2), sampleWeight: [2] },
    ])).toBeCloseTo(expected, 12);
    expect(resultOver(scce, [
      { yTrue: tensor([2], [1, 2]), yPred: tensor([2, 3], probs), sampleWeight: [0.3, 0.7] },
      { yTrue: tensor([1, 1], [2]), yPred: tensor([1, 3], probs2), sampleWeight: [2] },
    ])).toBeCloseTo(expected, 12);
  });

  test('fromLogits uses log-softmax; labelSmoothing spreads s/numClasses', () => {
    const logits = [1, 2, 3, 0, 0, 0];
    const lse1 = log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const lse2 = log(3);
    // Labels: class 0 for row 1, class 2 for row 2; smoothing 0.3 over 3 classes: targets 0.8 / 0.1 / 0.1.
    const row1 = 0.8 * (lse1 - 1) + 0.1 * (lse1 - 2) + 0.1 * (lse1 - 3);
    const row2 = lse2; // uniform logits: every class has log-probability -log 3, targets sum to 1
    const m = new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 });
    expect(resultOver(m, [{ yTrue: tensor([2, 3], [1, 0, 0, 0, 0, 1]), yPred: tensor([2, 3], logits), sampleWeight: [1, 3] }]))
      .toBeCloseTo(weightedMean([row1, row2], [1, 3]), 12);
    const sparse = new SparseCategoricalCrossentropy({ fromLogits: true });
    expect(resultOver(sparse, [{ yTrue: tensor([2], [0, 2]), yPred: tensor([2, 3], logits) }])).toBeCloseTo(((lse1 - 1) + lse2) / 2, 12);
  });

  test('axis = 1 on [batch, classes, steps] reduces the middle axis', () => {
    // Sample 0 has 2 steps: step 0 probs (0.2, 0.8) label 1 → -log 0.8; step 1 probs (0.6, 0.4) label 0 → -log 0.6.
    // Sample value is the mean over its steps.
    const yPred = tensor([1, 2, 2], [0.2, 0.6, 0.8, 0.4]);
    const yTrue = tensor([1, 2, 2], [0, 1, 1, 0]);
    const m = new CategoricalCrossentropy({ axis: 1 });
    expect(resultOver(m, [{ yTrue, yPred }])).toBeCloseTo((-log(0.8) - log(0.6)) / 2, 12);
    expect(resultOver(new SparseCategoricalCrossentropy({ axis: 1 }), [{ yTrue: tensor([1, 2], [1, 0]), yPred }])).toBeCloseTo((-log(0.8) - log(0.6)) / 2, 12);
  });
});

describe('KLDivergence and Poisson', () => {
  test('KLDivergence: Σ y·log(y/p) with both clipped to [ε, 1], two weighted batches', () => {
    // Row [0,1] vs [0.6,0.4]: ε·log(ε/0.6) + log(1/0.4); row [0,0] vs [0.4,0.6]: ε·log(ε/0.4) + ε·log(ε/0.6).
    const r1 = EPS * log(EPS / 0.6) + log(1 / 0.4);
    const r2 = EPS * log(EPS / 0.4) + EPS * log(EPS / 0.6);
    const r3 = 0.5 * log(0.5 / 0.25) + 0.5 * log(0.5 / 0.75);
    const m = new KLDivergence();
    expect(resultOver(m, [{ yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [0.6, 0.4, 0.4, 0.6]) }])).toBeCloseTo(0.45814306, 6);
    expect(resultOver(m, [
      { yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [0.6, 0.4, 0.4, 0.6]), sampleWeight: [1, 0] },
      { yTrue: tensor([1, 2], [0.5, 0.5]), yPred: tensor([1, 2], [0.25, 0.75]), sampleWeight: [1] },
    ])).toBeCloseTo(weightedMean([r1, r2, r3], [1, 0, 1]), 12);
  });

  test('Poisson: mean of p - y·log(p + ε), two weighted batches', () => {
    const r1 = (1 - 0 + (1 - log(1 + EPS))) / 2; // [0,1] vs [1,1]
    const r2 = 0; // [0,0] vs [0,0]
    const r3 = (2 - 3 * log(2 + EPS) + (0.5 - 1 * log(0.5 + EPS))) / 2; // [3,1] vs [2,0.5]
    const m = new Poisson();
    expect(resultOver(m, [{ yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [1, 1, 0, 0]) }])).toBeCloseTo(0.5, 6);
    expect(resultOver(m, [
      { yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [1, 1, 0, 0]), sampleWeight: [1, 3] },
      { yTrue: tensor([1, 2], [3, 1]), yPred: tensor([1, 2], [2, 0.5]), sampleWeight: [2] },
    ])).toBeCloseTo(weightedMean([r1, r2, r3], [1, 3, 2]), 12);
  });
});
