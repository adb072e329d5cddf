import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { FalseNegatives, FalsePositives, TrueNegatives, TruePositives } from './confusion-counts.js';
import { PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity } from './operating-point.js';
import { Precision, Recall } from './precision-recall.js';
import { type Batch, resultOver, tensor } from '../testing/metric-batches.js';
import { Rng } from '../rng.js';
import type { Metric } from './metric.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Splits one dataset [n] (and weights) into two batches of shape [k] and [n - k]. */
function split(yTrue: number[], yPred: number[], weights: number[] | null, k: number): Batch[] {
  return [
    { yTrue: tensor([k], yTrue.slice(0, k)), yPred: tensor([k], yPred.slice(0, k)), sampleWeight: weights?.slice(0, k) ?? null },
    { yTrue: tensor([yTrue.length - k], yTrue.slice(k)), yPred: tensor([yTrue.length - k], yPred.slice(k)), sampleWeight: weights?.slice(k) ?? null },
  ];
}

describe('TruePositives / TrueNegatives / FalsePositives / FalseNegatives', () => {
  test('Keras docstring counts, split over two batches, with weights, and reset', () => {
    const cases: [Metric, number[], number[], number][] = [
      [new FalsePositives(), [0, 1, 0, 0], [0, 0, 1, 1], 2],
      [new FalseNegatives(), [0, 1, 1, 1], [0, 1, 0, 0], 2],
      [new TrueNegatives(), [0, 1, 0, 0], [1, 1, 0, 0], 2],
      [new TruePositives(), [0, 1, 1, 1], [1, 0, 1, 1], 2],
    ];
    for (const [m, y, p, count] of cases) {
      expect(resultOver(m, split(y, p, null, 1))).toBe(count);
      // Weights [0, 0, 1, 0] keep only the third sample, which is of the counted kind in every docstring example.
      expect(resultOver(m, split(y, p, [0, 0, 1, 0], 2))).toBe(1);
      m.reset();
      expect(m.result()).toBe(0);
    }
  });

  test('a thresholds list gives one count per threshold (resultVector; result is their mean)', () => {
    // Predictions 0.1, 0.4, 0.6, 0.9 with labels 0, 1, 0, 1 and weights 1, 2, 3, 4.
    // Positive means prediction > t. t = 0.3: {0.4, 0.6, 0.9}; t = 0.5: {0.6, 0.9}; t = 0.95: none.
    const y = [0, 1, 0, 1];
    const p = [0.1, 0.4, 0.6, 0.9];
    const w = [1, 2, 3, 4];
    const thresholds = [0.3, 0.5, 0.95];
    const expected = {
      tp: [2 + 4, 4, 0],
      fp: [3, 3, 0],
      tn: [1, 1 + 0, 1 + 3],
      fn: [0, 2, 2 + 4],
    };
    const metrics = { tp: new TruePositives({ thresholds }), fp: new FalsePositives({ thresholds }), tn: new TrueNegatives({ thresholds }), fn: new FalseNegatives({ thresholds }) };
    for (const [k, m] of Object.entries(metrics)) {
      resultOver(m, split(y, p, w, 3));
      expect(Array.from(m.resultVector())).toEqual(expected[k as keyof typeof expected]);
      expect(m.result()).toBeCloseTo(expected[k as keyof typeof expected].reduce((a, b) => a + b) / 3, 12);
    }
  });
});

describe('Precision and Recall', () => {
  test('binary 0/1 predictions match tf.metrics.precision / recall over two batches', () => {
    const rng = new Rng(3);
    const y = Array.from({ length: 40 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const p = Array.from({ length: 40 }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const tfP = tf.metrics.precision(tf.tensor2d(y, [40, 1]), tf.tensor2d(p, [40, 1])).dataSync()[0]!;
    const tfR = tf.metrics.recall(tf.tensor2d(y, [40, 1]), tf.tensor2d(p, [40, 1])).dataSync()[0]!;
    expect(resultOver(new Precision(), split(y, p, null, 17))).toBeCloseTo(tfP, 6);
    expect(resultOver(new Recall(), split(y, p, null, 17))).toBeCloseTo(tfR, 6);
  });

  test('docstring values, weights and thresholds lists', () => {
    const y = [0, 1, 1, 1];
    const p = [1, 0, 1, 1];
    // TP 2, FP 1, FN 1 → precision 2/3, recall 2/3. Weights [0, 0, 1, 0] keep one true positive → 1 and 1.
    expect(resultOver(new Precision(), split(y, p, null, 2))).toBeCloseTo(2 / 3, 12);
    expect(resultOver(new Recall(), split(y, p, null, 2))).toBeCloseTo(2 / 3, 12);
    expect(resultOver(new Precision(), split(y, p, [0, 0, 1, 0], 2))).toBe(1);
    expect(resultOver(new Recall(), split(y, p, [0, 0, 1, 0], 2))).toBe(1);
    // Same data as the counts test (weights 1, 2, 3, 4): precision = TP / (TP + FP), recall = TP / (TP + FN) per threshold.
    const batches = split([0, 1, 0, 1], [0.1, 0.4, 0.6, 0.9], [1, 2, 3, 4], 3);
    const precision = new Precision({ thresholds: [0.3, 0.5, 0.95] });
    resultOver(precision, batches);
    expect(Array.from(precision.resultVector())).toEqual([6 / 9, 4 / 7, 0]);
    const recall = new Recall({ thresholds: [0.3, 0.5, 0.95] });
    resultOver(recall, batches);
    expect(Array.from(recall.resultVector())).toEqual([1, 4 / 6, 0]);
    expect(recall.result()).toBeCloseTo((1 + 4 / 6) / 3, 12);
    // Evenly spaced thresholds [0, 0.5, 1] (Keras' bucketed path, predictions clipped to [0, 1]): a prediction of 1.5
    // counts as 1, which is not above 1; at 0 everything above 0 is positive.
    const even = new Precision({ thresholds: [0, 0.5, 1] });
    resultOver(even, [{ yTrue: tensor([3], [1, 0, 1]), yPred: tensor([3], [1.5, 0.7, 0.2]) }]);
    expect(Array.from(even.resultVector())).toEqual([2 / 3, 1 / 2, 0]);
  });

  test('topK keeps the k highest predictions of each row (Keras docstring)', () => {
    // One row of 4: top 2 are the first two (ties go to the lower index), both labelled 0 → precision 0.
    expect(resultOver(new Precision({ topK: 2 }), [{ yTrue: tensor([1, 4], [0, 0, 1, 1]), yPred: tensor([1, 4], [1, 1, 1, 1]) }])).toBe(0);
    expect(resultOver(new Precision({ topK: 4 }), [{ yTrue: tensor([1, 4], [0, 0, 1, 1]), yPred: tensor([1, 4], [1, 1, 1, 1]) }])).toBe(0.5);
    // Recall with topK = 1 over two rows: row 1 top is class 2 (label 1 there), row 2 top is class 0 (label 0).
    // Labels: row 1 has classes 1 and 2, row 2 has class 1 → TP 1 of 3 positives.
    const r = new Recall({ topK: 1 });
    expect(resultOver(r, [
      { yTrue: tensor([1, 3], [0, 1, 1]), yPred: tensor([1, 3], [0.1, 0.3, 0.6]) },
      { yTrue: tensor([1, 3], [0, 1, 0]), yPred: tensor([1, 3], [0.5, 0.4, 0.1]) },
    ])).toBeCloseTo(1 / 3, 12);
  });

  test('classId restricts to one class, alone and with topK', () => {
    const yTrue = tensor([3, 3], [0, 1, 0, 1, 0, 0, 0, 1, 0]);
    const yPred = tensor([3, 3], [0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.3, 0.4, 0.3]);
    // Class 1 with threshold 0.5: predicted positive only in row 0 (0.7, label 1) → precision 1; labels in rows 0 and 2 → recall 1/2.
    expect(resultOver(new Precision({ classId: 1 }), [{ yTrue, yPred }])).toBe(1);
    expect(resultOver(new Recall({ classId: 1 }), [{ yTrue, yPred }])).toBe(0.5);
    // topK 1 + classId 1: class 1 is the row maximum in rows 0 and 2 (both labelled 1) → precision 1, recall 1.
    expect(resultOver(new Precision({ topK: 1, classId: 1 }), [{ yTrue, yPred }])).toBe(1);
    expect(resultOver(new Recall({ topK: 1, classId: 1 }), [{ yTrue, yPred }])).toBe(1);
    // Weighting row 2 (the missed positive) by 0 leaves one positive, which is found → recall 1.
    expect(resultOver(new Recall({ classId: 1 }), [{ yTrue, yPred, sampleWeight: [1, 1, 0] }])).toBe(1);
  });
});

describe('operating-point metrics (Keras docstring data, split over two batches)', () => {
  const y5 = [0, 0, 0, 1, 1];
  const p5 = [0, 0.3, 0.8, 0.3, 0.8];
  test('SensitivityAtSpecificity(0.5)', () => {
    // For t in [0.3, 0.8): negatives 0 and 0.3 are below → specificity 2/3 >= 0.5, sensitivity 1/2 (only 0.8).
    // For t < 0.3: specificity 1/3 < 0.5, infeasible. For t >= 0.8: sensitivity 0. Best: 0.5.
    expect(resultOver(new SensitivityAtSpecificity({ specificity: 0.5 }), split(y5, p5, null, 3))).toBeCloseTo(0.5, 12);
    // Weights [1, 1, 2, 2, 1]: t in [0.3, 0.8): specificity 2/4 = 0.5 OK, sensitivity 1/3 (only 0.8, weight 1, of 3).
    expect(resultOver(new SensitivityAtSpecificity({ specificity: 0.5 }), split(y5, p5, [1, 1, 2, 2, 1], 2))).toBeCloseTo(1 / 3, 12);
  });
  test('SpecificityAtSensitivity(0.5)', () => {
    // t in [0.3, 0.8): sensitivity 1/2 OK, specificity 2/3 (the best feasible).
    expect(resultOver(new SpecificityAtSensitivity({ sensitivity: 0.5 }), split(y5, p5, null, 3))).toBeCloseTo(2 / 3, 12);
    // Weights [1, 1, 2, 2, 2]: t in [0.3, 0.8): sensitivity 2/4 OK, specificity 2/4 → 0.5.
    expect(resultOver(new SpecificityAtSensitivity({ sensitivity: 0.5 }), split(y5, p5, [1, 1, 2, 2, 2], 4))).toBeCloseTo(0.5, 12);
  });
  test('PrecisionAtRecall(0.5)', () => {
    // t in [0.3, 0.8): recall 1/2, precision 1/2; t < 0.3: recall 1, precision 2/4. Best: 0.5.
    expect(resultOver(new PrecisionAtRecall({ recall: 0.5 }), split(y5, p5, null, 3))).toBeCloseTo(0.5, 12);
    // Weights [2, 2, 2, 1, 1]: t in [0.3, 0.8): precision 1/3 (0.8: neg 2 + pos 1); t < 0.3: 2/6. → 1/3.
    expect(resultOver(new PrecisionAtRecall({ recall: 0.5 }), split(y5, p5, [2, 2, 2, 1, 1], 1))).toBeCloseTo(1 / 3, 12);
  });
  test('RecallAtPrecision(0.8), and 0 when the precision is never reached', () => {
    const y = [0, 0, 1, 1];
    const p = [0, 0.5, 0.3, 0.9];
    // t in [0.5, 0.9): only 0.9 is positive → precision 1, recall 1/2. Lower thresholds have precision ≤ 2/3.
    expect(resultOver(new RecallAtPrecision({ precision: 0.8 }), split(y, p, null, 2))).toBeCloseTo(0.5, 12);
    // Weights [1, 0, 0, 1]: t < 0.9 keeps precision 1 and recall 1.
    expect(resultOver(new RecallAtPrecision({ precision: 0.8 }), split(y, p, [1, 0, 0, 1], 2))).toBe(1);
    // Every positive below every negative: precision never reaches 0.8.
    expect(resultOver(new RecallAtPrecision({ precision: 0.8 }), [{ yTrue: tensor([2], [1, 0]), yPred: tensor([2], [0.2, 0.9]) }])).toBe(0);
  });
  test('numThresholds and classId', () => {
    // numThresholds 1 uses the single threshold 0.5: positives are {0.8, 0.8}: specificity 2/3, sensitivity 1/2.
    expect(resultOver(new SensitivityAtSpecificity({ specificity: 0.6, numThresholds: 1 }), split(y5, p5, null, 3))).toBeCloseTo(0.5, 12);
    // classId 1 of a 2-class output behaves like the binary column.
    const yTrue = tensor([5, 2], y5.flatMap((v) => [1 - v, v]));
    const yPred = tensor([5, 2], p5.flatMap((v) => [1 - v, v]));
    expect(resultOver(new SensitivityAtSpecificity({ specificity: 0.5, classId: 1 }), [{ yTrue, yPred }])).toBeCloseTo(0.5, 12);
  });
});
