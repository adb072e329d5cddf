import { describe, expect, test } from 'vitest';
import { F1Score, FBetaScore } from './f-score.js';
import { type Batch, resultOver, tensor } from '../testing/metric-batches.js';

/*
 * Keras docstring data: y_true [[1,1,1],[1,0,0],[1,1,0]], y_pred [[0.2,0.6,0.7],[0.2,0.6,0.6],[0.6,0.8,0.0]]. With
 * threshold 0.5 the predictions are [[0,1,1],[0,1,1],[1,1,0]], so per class:
 *   class 0: TP 1, FP 0, FN 2 → P 1, R 1/3;  class 1: TP 2, FP 1, FN 0 → P 2/3, R 1;  class 2: TP 1, FP 1, FN 0 → P 1/2, R 1.
 * Fed as two batches (rows 0-1, then row 2).
 */
const yTrue = [1, 1, 1, 1, 0, 0, 1, 1, 0];
const yPred = [0.2, 0.6, 0.7, 0.2, 0.6, 0.6, 0.6, 0.8, 0.0];
function batches(weights: number[] | null = null): Batch[] {
  return [
    { yTrue: tensor([2, 3], yTrue.slice(0, 6)), yPred: tensor([2, 3], yPred.slice(0, 6)), sampleWeight: weights?.slice(0, 2) ?? null },
    { yTrue: tensor([1, 3], yTrue.slice(6)), yPred: tensor([1, 3], yPred.slice(6)), sampleWeight: weights?.slice(2) ?? null },
  ];
}
const EPS = 1e-7;
/** F-beta with Keras' ε terms. */
function fbeta(p: number, r: number, beta: number): number {
  const b2 = beta * beta;
  return ((1 + b2) * p * r) / (b2 * p + r + EPS);
}
const P = [1, 2 / 3, 1 / 2];
const R = [1 / 3, 1, 1];

describe('F1Score', () => {
  test('average null: per-class vector [0.5, 0.8, 2/3] (docstring); result() is its mean', () => {
    const m = new F1Score({ threshold: 0.5 });
    resultOver(m, batches());
    const v = Array.from(m.resultVector());
    [0.5, 0.8, 2 / 3].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 6));
    expect(m.result()).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 6);
    m.reset();
    expect(m.result()).toBe(0);
  });

  test('micro pools counts (TP 4, FP 2, FN 2 → 2/3); macro is the class mean; weighted uses support [3, 2, 1]', () => {
    expect(resultOver(new F1Score({ threshold: 0.5, average: 'micro' }), batches())).toBeCloseTo(2 / 3, 6);
    expect(resultOver(new F1Score({ threshold: 0.5, average: 'macro' }), batches())).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 6);
    expect(resultOver(new F1Score({ threshold: 0.5, average: 'weighted' }), batches())).toBeCloseTo((3 * 0.5 + 2 * 0.8 + 1 * (2 / 3)) / 6, 6);
  });

  test('sample weights scale each row\'s counts', () => {
    // Weights [1, 0, 2]: row 1 drops out. Class 0: TP 2 (row 2), FN 1 (row 0) → P 1, R 2/3 → F1 0.8.
    // Class 1: TP 1 + 2 = 3, FP 0 → F1 1. Class 2: TP 1 (row 0), FP 0 → 1.
    const m = new F1Score({ threshold: 0.5 });
    resultOver(m, batches([1, 0, 2]));
    const v = Array.from(m.resultVector());
    [0.8, 1, 1].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 6));
  });

  test('threshold null: the row maximum (all maxima on ties) is the positive', () => {
    // Argmax rows: row 0 → class 2; row 1 → classes 1 and 2 (tie at 0.6); row 2 → class 1.
    // Class 0: TP 0 → 0. Class 1: TP 1 (row 2), FP 1 (row 1) → P 1/2, R 1/2 → 1/2. Class 2: TP 1 (row 0), FP 1 → P 1/2, R 1 → 2/3.
    const m = new F1Score();
    resultOver(m, batches());
    const v = Array.from(m.resultVector());
    [0, 0.5, 2 / 3].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 6));
  });
});

test('FBetaScore(beta 2, threshold 0.5) matches the docstring [0.3846154, 0.90909094, 0.8333334]', () => {
  const m = new FBetaScore({ beta: 2, threshold: 0.5 });
  resultOver(m, batches());
  const v = Array.from(m.resultVector());
  P.forEach((p, i) => expect(v[i]).toBeCloseTo(fbeta(p, R[i]!, 2), 6));
  [0.3846154, 0.90909094, 0.8333334].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 6));
  expect(m.getConfig()).toEqual({ type: 'FBetaScore', name: 'fbeta_score', average: null, beta: 2, threshold: 0.5 });
});
