import { describe, expect, test } from 'vitest';
import { DataError } from '../errors.js';
import { float64Backend } from '../testing/gradient-check.js';
import { type LossConfig, getLoss } from './index.js';
import { testBackend } from '../testing/test-backend.js';

/*
 * Reductions and sample weights (Keras 3 reduce_weighted_values): weights are per sample, `sum_over_batch_size`
 * (= `mean`) divides the weighted sum by the number of values, `sum` does not divide, `none` returns the weighted values
 * (and reduces to their sum for a gradient). Expected numbers are computed here from the per-row MSE, by hand.
 */

const b = float64Backend;
const loss = (config: LossConfig) => getLoss(config, b);
// MSE rows: [0, 0] vs [1, 1] → 1; [0, 0] vs [2, 0] → 2; [1, 1] vs [1, 1] → 0; [0, 0] vs [3, 3] → 9.
const yTrue = b.fromValues([4, 2], [0, 0, 0, 0, 1, 1, 0, 0]);
const yPred = b.fromValues([4, 2], [1, 1, 2, 0, 1, 1, 3, 3]);
const rows = [1, 2, 0, 9];

describe('reductions', () => {
  test('none returns the per-row values; sum adds them; sum_over_batch_size and mean divide by their count', () => {
    expect(Array.from(loss({ type: 'MeanSquaredError', reduction: 'none' }).values(yTrue, yPred))).toEqual(rows);
    expect(loss({ type: 'MeanSquaredError', reduction: 'none' }).call(yTrue, yPred)).toBe(12);
    expect(loss({ type: 'MeanSquaredError', reduction: 'sum' }).call(yTrue, yPred)).toBe(12);
    expect(loss({ type: 'MeanSquaredError', reduction: 'sum_over_batch_size' }).call(yTrue, yPred)).toBe(3);
    expect(loss({ type: 'MeanSquaredError', reduction: 'mean' }).call(yTrue, yPred)).toBe(3);
    expect(loss('mse').reduction).toBe('sum_over_batch_size');
  });

  test('sample weights multiply each sample and sum_over_batch_size still divides by the number of values', () => {
    const w = [1, 0.5, 3, 2];
    // Weighted rows: 1, 1, 0, 18 → sum 20, over 4 values → 5 (not 20 / Σw = 20 / 6.5).
    expect(Array.from(loss({ type: 'MeanSquaredError', reduction: 'none' }).values(yTrue, yPred, w))).toEqual([1, 1, 0, 18]);
    expect(loss({ type: 'MeanSquaredError', reduction: 'sum' }).call(yTrue, yPred, w)).toBe(20);
    expect(loss('mse').call(yTrue, yPred, w)).toBe(5);
  });

  test('a weight of 0 removes a sample: its value, its influence and its gradient', () => {
    const w = [1, 1, 1, 0];
    const mse = loss('mse');
    const changed = b.fromValues([4, 2], [1, 1, 2, 0, 1, 1, -50, 70]);
    expect(mse.call(yTrue, yPred, w)).toBe(mse.call(yTrue, changed, w));
    expect(mse.call(yTrue, yPred, w)).toBe(3 / 4);
    const { grad } = mse.callWithGradient(yTrue, yPred, w);
    expect(Array.from(grad.data.slice(6))).toEqual([0, 0]);
    // d/dyPred of (1/4)·Σ mean((p - t)²) for row 0: 2·(p - t) / 2 / 4 = 0.25 per element.
    expect(Array.from(grad.data.slice(0, 2))).toEqual([0.25, 0.25]);
  });

  test('weights of a 3-D tensor apply to all rows of their sample; the count is rows, not samples', () => {
    // [2, 2, 2]: rows (sample, position) 0..3; MSE over the last axis of |p - t| = [1, 1], [2, 2], [0, 0], [1, 3].
    const t3 = b.fromValues([2, 2, 2], [0, 0, 0, 0, 0, 0, 0, 0]);
    const p3 = b.fromValues([2, 2, 2], [1, 1, 2, 2, 0, 0, 1, 3]);
    const values = [1, 4, 0, 5];
    expect(Array.from(loss({ type: 'MeanSquaredError', reduction: 'none' }).values(t3, p3, [2, 10]))).toEqual([2, 8, 0, 50]);
    expect(loss('mse').call(t3, p3, [2, 10])).toBe((2 * (values[0]! + values[1]!) + 10 * (values[2]! + values[3]!)) / 4);
  });

  test('callWithGradient gives the same loss as call and a gradient tensor of the loss backend', () => {
    const f32 = testBackend();
    const l = getLoss({ type: 'CategoricalCrossentropy', fromLogits: true }, f32);
    const t = f32.fromValues([2, 3], [0, 1, 0, 1, 0, 0]);
    const p = f32.fromValues([2, 3], [0.5, -1, 2, 0, 0, 0]);
    const { loss: value, grad } = l.callWithGradient(t, p, [1, 3]);
    expect(value).toBe(l.call(t, p, [1, 3]));
    expect(grad.data).toBeInstanceOf(Float32Array);
    expect(grad.shape).toEqual([2, 3]);
  });
});

describe('masking and whole-batch losses', () => {
  test('SparseCategoricalCrossentropy ignoreClass: 0 for ignored rows, left out of the mean', () => {
    const probs = b.fromValues([3, 2], [0.5, 0.5, 0.2, 0.8, 0.9, 0.1]);
    const labels = b.fromValues([3], [0, 255, 0]);
    const config = { type: 'SparseCategoricalCrossentropy', ignoreClass: 255 };
    const expected = [Math.LN2, 0, -Math.log(0.9)];
    const none = loss({ ...config, reduction: 'none' }).values(labels, probs);
    expected.forEach((e, i) => expect(none[i]).toBeCloseTo(e, 12));
    expect(loss({ ...config, reduction: 'sum' }).call(labels, probs)).toBeCloseTo(expected[0]! + expected[2]!, 12);
    // Keras rescales the mask so the mean is over the 2 valid rows, not the 3 rows.
    expect(loss(config).call(labels, probs)).toBeCloseTo((expected[0]! + expected[2]!) / 2, 12);
    expect(loss(config).call(labels, probs, [2, 5, 0])).toBeCloseTo((2 * expected[0]!) / 2, 12);
    // Without ignoreClass, 255 is not a class index.
    expect(() => loss('sparse_categorical_crossentropy').call(labels, probs)).toThrow(DataError);
  });

  test('Dice over the whole batch (Keras default) broadcasts its single value over the sample weights', () => {
    const t = b.fromValues([2, 2], [1, 0, 1, 1]);
    const p = b.fromValues([2, 2], [0.5, 0.5, 1, 0]);
    // 1 - 2·(0.5 + 1) / (3 + 2 + ε)
    const dice = 1 - 3 / (5 + 1e-7);
    expect(loss('dice').values(t, p)).toHaveLength(1);
    expect(loss('dice').call(t, p)).toBeCloseTo(dice, 12);
    expect(Array.from(loss({ type: 'Dice', reduction: 'none' }).values(t, p, [1, 3])).map((v) => v / dice)).toEqual([1, 3].map((w) => expect.closeTo(w, 12)));
    expect(loss('dice').call(t, p, [1, 3])).toBeCloseTo(dice * 2, 12); // Σw / batch = 2
    expect(loss({ type: 'Dice', reduction: 'sum' }).call(t, p, [1, 3])).toBeCloseTo(dice * 4, 12);
  });

  test('bad sample weights and shapes throw a DataError', () => {
    expect(() => loss('mse').call(yTrue, yPred, [1, 2])).toThrow(/sampleWeight has 2 values but the batch has 4/);
    expect(() => loss('mse').call(b.fromValues([2, 4], new Array(8).fill(0)), yPred)).toThrow(DataError);
    expect(() => loss({ type: 'CategoricalCrossentropy', axis: 2 }).call(yTrue, yPred)).toThrow(/axis 2 is out of range/);
    expect(() => loss('sparse_categorical_crossentropy').call(b.fromValues([3], [0, 1, 0]), yPred)).toThrow(DataError);
    // A 1-D label tensor against [batch, 1] predictions is accepted (Keras squeezes the trailing 1).
    expect(loss('mse').call(b.fromValues([2], [1, 2]), b.fromValues([2, 1], [1, 4]))).toBe(2);
  });
});
