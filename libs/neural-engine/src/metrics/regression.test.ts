import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../rng.js';
import { R2Score } from './r2-score.js';
import {
  CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
  MeanSquaredLogarithmicError, RootMeanSquaredError,
} from './regression.js';
import { type Batch, concat, resultOver, tensor, weightedMean } from '../testing/metric-batches.js';
import type { Metric } from './metric.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rng = new Rng(11);
const rows = [5, 7];
const cols = 3;
// Targets away from 0 so tf.js' float32 epsilon in MAPE does not matter; predictions include negatives.
const yTrue = rows.map((r) => Array.from({ length: r * cols }, () => (rng.uniform() < 0.5 ? -1 : 1) * rng.uniformRange(0.5, 3)));
const yPred = rows.map((r) => Array.from({ length: r * cols }, () => rng.uniformRange(-3, 3)));
const weights = rows.map((r) => Array.from({ length: r }, () => rng.uniformRange(0, 2)));
const batches: Batch[] = rows.map((r, i) => ({ yTrue: tensor([r, cols], yTrue[i]!), yPred: tensor([r, cols], yPred[i]!), sampleWeight: weights[i] }));
const n = rows[0]! + rows[1]!;
const tfTrue = () => tf.tensor2d(concat(...yTrue), [n, cols]);
const tfPred = () => tf.tensor2d(concat(...yPred), [n, cols]);

/** Two weighted batches, then reset, then only the second batch. */
function checkProtocol(m: Metric, expectedAll: number, expectedSecond: number, digits: number): void {
  expect(resultOver(m, batches)).toBeCloseTo(expectedAll, digits);
  m.reset();
  expect(m.result()).toBe(0);
  m.update(batches[1]!.yTrue, batches[1]!.yPred, batches[1]!.sampleWeight);
  expect(m.result()).toBeCloseTo(expectedSecond, digits);
}

describe('against TensorFlow.js per-sample values (weighted means over two batches)', () => {
  const cases: [string, () => Metric, (t: tf.Tensor, p: tf.Tensor) => tf.Tensor][] = [
    ['MeanSquaredError', () => new MeanSquaredError(), tf.metrics.meanSquaredError],
    ['MeanAbsoluteError', () => new MeanAbsoluteError(), tf.metrics.meanAbsoluteError],
    ['MeanAbsolutePercentageError', () => new MeanAbsolutePercentageError(), tf.metrics.meanAbsolutePercentageError],
    // tf.js cosineProximity has the loss sign (-1 = aligned); the Keras metric is +1 for aligned vectors.
    ['CosineSimilarity', () => new CosineSimilarity(), (t, p) => tf.neg(tf.metrics.cosineProximity(t, p))],
  ];
  for (const [name, make, oracle] of cases) {
    test(name, () => {
      const per = Array.from(oracle(tfTrue(), tfPred()).dataSync());
      const all = weightedMean(per, concat(...weights));
      const second = weightedMean(per.slice(rows[0]), weights[1]);
      // tf.js computes in float32: compare to 6 significant digits.
      const scale = Math.max(1, Math.abs(all));
      checkProtocol(make(), all, second, Math.floor(5 - Math.log10(scale)));
    });
  }
});

describe('hand-derived', () => {
  test('MeanSquaredLogarithmicError, LogCoshError and RootMeanSquaredError (Keras docstring data + a second batch)', () => {
    const b1: Batch = { yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [1, 1, 0, 0]), sampleWeight: [1, 0] };
    const b2: Batch = { yTrue: tensor([1, 2], [2, 0]), yPred: tensor([1, 2], [1, 3]), sampleWeight: [2] };
    const L = Math.log;
    // msle rows: [(log 2 - log 1)² + 0] / 2; 0; [(log 2 - log 3)² + (log 4 - log 1)²] / 2  (max(·, ε) ≈ · here).
    const msle = [L(2) ** 2 / 2, 0, ((L(2) - L(3)) ** 2 + L(4) ** 2) / 2];
    expect(resultOver(new MeanSquaredLogarithmicError(), [{ ...b1, sampleWeight: null }])).toBeCloseTo(0.12011322, 6); // docstring
    expect(resultOver(new MeanSquaredLogarithmicError(), [b1, b2])).toBeCloseTo(weightedMean(msle, [1, 0, 2]), 6);
    const lc = (x: number) => L(Math.cosh(x));
    const logcosh = [lc(1) / 2, 0, (lc(-1) + lc(3)) / 2];
    expect(resultOver(new LogCoshError(), [{ ...b1, sampleWeight: null }])).toBeCloseTo(0.10844523, 6); // docstring
    expect(resultOver(new LogCoshError(), [b1, b2])).toBeCloseTo(weightedMean(logcosh, [1, 0, 2]), 12);
    // RMSE is the root of the weighted mean of squared errors: sample means 0.5, 0, (1 + 9)/2 = 5.
    const rmse = new RootMeanSquaredError();
    expect(resultOver(rmse, [{ ...b1, sampleWeight: null }])).toBeCloseTo(0.5, 12); // docstring
    expect(resultOver(rmse, [b1])).toBeCloseTo(Math.SQRT1_2, 12); // docstring, weights [1, 0]
    expect(resultOver(rmse, [b1, b2])).toBeCloseTo(Math.sqrt((0.5 * 1 + 5 * 2) / 3), 12);
    rmse.reset();
    expect(rmse.result()).toBe(0);
  });

  test('CosineSimilarity docstring (axis 1): [[0,1],[1,1]] vs [[1,0],[1,1]] → (0 + 1)/2, weighted [0.3, 0.7] → 0.7', () => {
    const m = new CosineSimilarity({ axis: 1 });
    const b: Batch = { yTrue: tensor([2, 2], [0, 1, 1, 1]), yPred: tensor([2, 2], [1, 0, 1, 1]) };
    expect(resultOver(m, [b])).toBeCloseTo(0.5, 6);
    expect(resultOver(m, [{ ...b, sampleWeight: [0.3, 0.7] }])).toBeCloseTo(0.7, 6);
  });
});

describe('R2Score', () => {
  test('single output matches tf.metrics.r2Score over both batches; docstring value', () => {
    const t = yTrue.map((b) => b.filter((_, i) => i % cols === 0));
    const p = yPred.map((b) => b.filter((_, i) => i % cols === 0));
    const expected = tf.metrics.r2Score(tf.tensor2d(concat(...t), [n, 1]), tf.tensor2d(concat(...p), [n, 1])).dataSync()[0]!;
    const m = new R2Score();
    expect(resultOver(m, rows.map((r, i) => ({ yTrue: tensor([r, 1], t[i]!), yPred: tensor([r, 1], p[i]!) })))).toBeCloseTo(expected, 5);
    // Docstring: y = [1, 4, 3], p = [2, 4, 4]: SS_res = 2, mean 8/3, SS_tot = 25/9 + 16/9 + 1/9 = 42/9 → 1 - 18/42.
    expect(resultOver(m, [{ yTrue: tensor([3, 1], [1, 4, 3]), yPred: tensor([3, 1], [2, 4, 4]) }])).toBeCloseTo(1 - 18 / 42, 12);
  });

  test('weights, two outputs, every classAggregation, numRegressors, vector result', () => {
    // Two batches of 2-output data with sample weights [1, 2] and [1].
    const b1: Batch = { yTrue: tensor([2, 2], [1, 10, 3, 20]), yPred: tensor([2, 2], [2, 12, 3, 18]), sampleWeight: [1, 2] };
    const b2: Batch = { yTrue: tensor([1, 2], [5, 30]), yPred: tensor([1, 2], [4, 30]), sampleWeight: [1] };
    // Output 0: y = 1, 3, 5 with weights 1, 2, 1: Σw = 4, weighted mean 3, SS_tot = 4 + 0 + 4 = 8,
    //   SS_res = 1·1 + 2·0 + 1·1 = 2 → R² = 1 - 2/8 = 0.75.
    // Output 1: y = 10, 20, 30, weighted mean 20, SS_tot = 100 + 0 + 100 = 200, SS_res = 4 + 2·4 + 0 = 12 → 0.94.
    const r0 = 0.75;
    const r1 = 1 - 12 / 200;
    const none = new R2Score({ classAggregation: null });
    expect(resultOver(none, [b1, b2])).toBeCloseTo((r0 + r1) / 2, 12);
    expect(Array.from(none.resultVector())).toEqual([expect.closeTo(r0, 12), expect.closeTo(r1, 12)]);
    expect(resultOver(new R2Score(), [b1, b2])).toBeCloseTo((r0 + r1) / 2, 12);
    expect(resultOver(new R2Score({ classAggregation: 'variance_weighted_average' }), [b1, b2])).toBeCloseTo((8 * r0 + 200 * r1) / 208, 12);
    // Adjusted: n counts values (3 rows · 2 outputs = 6, as Keras' ops.size), p = 2 → 1 - (1 - R²)·5/3.
    expect(resultOver(new R2Score({ numRegressors: 2 }), [b1, b2])).toBeCloseTo(1 - (1 - (r0 + r1) / 2) * 5 / 3, 12);
    // p >= n - 1 falls back to the plain score (Keras warns).
    expect(resultOver(new R2Score({ numRegressors: 5 }), [b1, b2])).toBeCloseTo((r0 + r1) / 2, 12);
    none.reset();
    expect(none.result()).toBe(0);
  });
});
