import { describe, expect, test } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import { type LossConfig, getLoss } from './index.js';

/*
 * Values the TensorFlow.js oracle cannot give: focal losses, Dice, Tversky, categorical hinge, label smoothing and
 * Keras' label conversion, derived by hand from the Keras 3 formulas (derivations in the comments), plus the examples
 * published in Keras 3's own docstrings (keras/src/losses/losses.py), which Keras prints to 3-4 truncated decimals; they are compared to within one unit of the last printed digit.
 */

const b = new JsBackend('float64');
const t = (shape: number[], v: number[]) => b.fromValues(shape, v);
const loss = (config: LossConfig) => getLoss(config, b);

describe('hand-derived values', () => {
  test('binary focal crossentropy', () => {
    // yTrue [1, 0], yPred [0.8, 0.4], gamma 2: p_t = 0.8 and 0.6, focal factors (1 - p_t)² = 0.04 and 0.16,
    // crossentropies -ln 0.8 and -ln 0.6; the row value is their mean.
    const yTrue = t([1, 2], [1, 0]);
    const yPred = t([1, 2], [0.8, 0.4]);
    expect(loss('binary_focal_crossentropy').call(yTrue, yPred)).toBeCloseTo((0.04 * -Math.log(0.8) + 0.16 * -Math.log(0.6)) / 2, 12);
    // Class balancing with alpha 0.3 weighs class 1 by 0.3 and class 0 by 0.7.
    expect(loss({ type: 'BinaryFocalCrossentropy', applyClassBalancing: true, alpha: 0.3 }).call(yTrue, yPred))
      .toBeCloseTo((0.3 * 0.04 * -Math.log(0.8) + 0.7 * 0.16 * -Math.log(0.6)) / 2, 12);
    // gamma 0 is plain binary crossentropy.
    expect(loss({ type: 'BinaryFocalCrossentropy', gamma: 0 }).call(yTrue, yPred)).toBeCloseTo(loss('bce').call(yTrue, yPred), 12);
  });

  test('categorical focal crossentropy', () => {
    // yTrue [0, 1, 0], yPred [0.2, 0.5, 0.3] (sums to 1): only the true class counts: 0.25 · (1 - 0.5)² · -ln 0.5.
    expect(loss('categorical_focal_crossentropy').call(t([1, 3], [0, 1, 0]), t([1, 3], [0.2, 0.5, 0.3])))
      .toBeCloseTo(0.25 * 0.25 * Math.LN2, 12);
    // Unnormalized yPred [0.4, 1, 0.6] is divided by its sum 2 first: the same value.
    expect(loss('categorical_focal_crossentropy').call(t([1, 3], [0, 1, 0]), t([1, 3], [0.4, 1, 0.6])))
      .toBeCloseTo(0.25 * 0.25 * Math.LN2, 12);
    // Per-class alpha [1, 2, 3] and gamma 1: 2 · (1 - 0.5) · -ln 0.5.
    expect(loss({ type: 'CategoricalFocalCrossentropy', alpha: [1, 2, 3], gamma: 1 }).call(t([1, 3], [0, 1, 0]), t([1, 3], [0.2, 0.5, 0.3])))
      .toBeCloseTo(2 * 0.5 * Math.LN2, 12);
  });

  test('categorical crossentropy with label smoothing 0.3 over 3 classes', () => {
    // Targets [0, 1, 0] become [0.1, 0.8, 0.1]: -(0.1 ln 0.2 + 0.8 ln 0.7 + 0.1 ln 0.1) = 0.676542...
    const value = loss({ type: 'CategoricalCrossentropy', labelSmoothing: 0.3 }).call(t([1, 3], [0, 1, 0]), t([1, 3], [0.2, 0.7, 0.1]));
    expect(value).toBeCloseTo(-(0.1 * Math.log(0.2) + 0.8 * Math.log(0.7) + 0.1 * Math.log(0.1)), 12);
    expect(value).toBeCloseTo(0.6765422, 6);
  });

  test('binary crossentropy with label smoothing 0.2', () => {
    // Labels [1, 0] become [0.9, 0.1]; the element-wise crossentropies are averaged over the row.
    const value = loss({ type: 'BinaryCrossentropy', labelSmoothing: 0.2 }).call(t([1, 2], [1, 0]), t([1, 2], [0.9, 0.2]));
    const e1 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
    const e2 = -(0.1 * Math.log(0.2) + 0.9 * Math.log(0.8));
    expect(value).toBeCloseTo((e1 + e2) / 2, 12);
    expect(value).toBeCloseTo(0.3434280, 6);
  });

  test('clipping: a probability of exactly 0 or 1 costs -ln ε, not infinity', () => {
    expect(loss('bce').call(t([1, 1], [1]), t([1, 1], [0]))).toBeCloseTo(-Math.log(1e-7), 9);
    expect(loss('categorical_crossentropy').call(t([1, 2], [1, 0]), t([1, 2], [0, 1]))).toBeCloseTo(-Math.log(1e-7), 9);
  });

  test('dice', () => {
    // yTrue [1, 1, 0, 0], yPred [0.5, 1, 0.2, 0]: 1 - 2·1.5 / (2 + 1.7 + ε) = 0.189189...
    expect(loss('dice').call(t([1, 4], [1, 1, 0, 0]), t([1, 4], [0.5, 1, 0.2, 0]))).toBeCloseTo(1 - 3 / (3.7 + 1e-7), 12);
  });

  test('tversky', () => {
    // Same tensors, alpha 0.7, beta 0.3: TP = 1.5, Σ(1 - p)·t = 0.5, Σ p·(1 - t) = 0.2,
    // 1 - 1.5 / (1.5 + 0.7·0.5 + 0.3·0.2 + ε) = 0.214659...
    const value = loss({ type: 'Tversky', alpha: 0.7, beta: 0.3 }).call(t([1, 4], [1, 1, 0, 0]), t([1, 4], [0.5, 1, 0.2, 0]));
    expect(value).toBeCloseTo(1 - 1.5 / (1.91 + 1e-7), 12);
    // alpha = beta = 0.5 gives Dice (up to where ε enters): the denominator is (Σt + Σp) / 2.
    expect(loss('tversky').call(t([1, 4], [1, 1, 0, 0]), t([1, 4], [0.5, 1, 0.2, 0]))).toBeCloseTo(1 - 1.5 / 1.85, 6);
  });

  test('categorical hinge', () => {
    // Row 1: pos = 0.5, neg = max(0.3, 0, 0.4) = 0.4, max(0.4 - 0.5 + 1, 0) = 0.9. Row 2: pos = 2, neg = 0.5 → 0.
    const value = loss({ type: 'CategoricalHinge', reduction: 'none' }).values(t([2, 3], [0, 1, 0, 1, 0, 0]), t([2, 3], [0.3, 0.5, 0.4, 2, -1, 0.5]));
    expect(value[0]).toBeCloseTo(0.9, 12);
    expect(value[1]).toBe(0);
  });

  test('hinge converts {0, 1} labels to {-1, 1}, and leaves other labels alone', () => {
    // [0, 1] → [-1, 1]: max(1 + 0.3, 0) and max(1 + 0.2, 0), mean 1.25.
    expect(loss('hinge').call(t([1, 2], [0, 1]), t([1, 2], [0.3, -0.2]))).toBeCloseTo(1.25, 12);
    // [0, 0.5] is not binary: max(1 - 0, 0) and max(1 + 0.1, 0), mean 1.05.
    expect(loss('hinge').call(t([1, 2], [0, 0.5]), t([1, 2], [0.3, -0.2]))).toBeCloseTo(1.05, 12);
    // Squared hinge: 1.3² and 1.2², mean 1.565.
    expect(loss('squared_hinge').call(t([1, 2], [0, 1]), t([1, 2], [0.3, -0.2]))).toBeCloseTo(1.565, 12);
  });

  test('cosine similarity is the negative similarity and 0 for a zero vector', () => {
    const v = loss({ type: 'CosineSimilarity', reduction: 'none' }).values(t([3, 2], [1, 0, 1, 1, 0, 0]), t([3, 2], [2, 0, -1, -1, 1, 1]));
    expect(Array.from(v).map((x) => Number(x.toFixed(12)) + 0)).toEqual([-1, 1, 0]);
  });
});

/**
 * Keras docstrings print truncated or rounded float32 values: agree with `printed` to within one unit of its last
 * digit, and never demand more than float32 holds (relative 1e-6; Keras' 0.99999994 is float32's 1).
 */
function expectPrinted(value: number | undefined, printed: number): void {
  const decimals = printed.toString().includes('e')
    ? -Math.floor(Math.log10(Math.abs(printed))) + (printed.toString().split('e')[0]!.split('.')[1]?.length ?? 0)
    : (printed.toString().split('.')[1]?.length ?? 0);
  expect(Math.abs(value! - printed)).toBeLessThan(Math.max(10 ** -decimals, 1e-6 * Math.abs(printed)));
}

describe('Keras 3 docstring examples', () => {
  const logits = t([2, 2], [-18.6, 0.51, 2.94, -12.8]);
  const labels = t([2, 2], [0, 1, 0, 0]);

  test('BinaryCrossentropy', () => {
    expectPrinted(loss({ type: 'BinaryCrossentropy', fromLogits: true }).call(t([1, 4], [0, 1, 0, 0]), t([1, 4], [-18.6, 0.51, 2.94, -12.8])), 0.8654);
    expectPrinted(loss({ type: 'BinaryCrossentropy', fromLogits: true }).call(labels, logits), 0.8654);
    expectPrinted(loss({ type: 'BinaryCrossentropy', fromLogits: true }).call(labels, logits, [0.8, 0.2]), 0.243);
    expectPrinted(loss({ type: 'BinaryCrossentropy', fromLogits: true, reduction: 'sum' }).call(labels, logits), 1.730);
    const none = loss({ type: 'BinaryCrossentropy', fromLogits: true, reduction: 'none' }).values(labels, logits);
    expectPrinted(none[0], 0.235);
    expectPrinted(none[1], 1.496);
    const probs = loss('binary_crossentropy').values(labels, t([2, 2], [0.6, 0.4, 0.4, 0.6]));
    expectPrinted(probs[0], 0.916);
    expectPrinted(probs[1], 0.714);
  });

  test('BinaryFocalCrossentropy', () => {
    const bfc = (args: Record<string, unknown>) => loss({ type: 'BinaryFocalCrossentropy', fromLogits: true, ...args });
    const flat = [t([1, 4], [0, 1, 0, 0]), t([1, 4], [-18.6, 0.51, 2.94, -12.8])] as const;
    expectPrinted(bfc({ gamma: 2 }).call(...flat), 0.691);
    expectPrinted(bfc({ gamma: 2, applyClassBalancing: true }).call(...flat), 0.51);
    expectPrinted(bfc({ gamma: 3 }).call(labels, logits), 0.647);
    expectPrinted(bfc({ gamma: 3, applyClassBalancing: true }).call(labels, logits), 0.482);
    expectPrinted(bfc({ gamma: 3 }).call(labels, logits, [0.8, 0.2]), 0.133);
    expectPrinted(bfc({ gamma: 3, applyClassBalancing: true }).call(labels, logits, [0.8, 0.2]), 0.097);
    expectPrinted(bfc({ gamma: 4, reduction: 'sum' }).call(labels, logits), 1.222);
    expectPrinted(bfc({ gamma: 4, reduction: 'sum', applyClassBalancing: true }).call(labels, logits), 0.914);
    const none = bfc({ gamma: 5, reduction: 'none' }).values(labels, logits);
    expectPrinted(none[0], 0.0017);
    expectPrinted(none[1], 1.1561);
    const balanced = bfc({ gamma: 5, reduction: 'none', applyClassBalancing: true }).values(labels, logits);
    expectPrinted(balanced[0], 0.0004);
    expectPrinted(balanced[1], 0.8670);
    const probs = loss('binary_focal_crossentropy').values(labels, t([2, 2], [0.6, 0.4, 0.4, 0.6]));
    expectPrinted(probs[0], 0.330);
    expectPrinted(probs[1], 0.206);
  });

  const oneHot = t([2, 3], [0, 1, 0, 0, 0, 1]);
  const probs = t([2, 3], [0.05, 0.95, 0, 0.1, 0.8, 0.1]);

  test.each([
    ['CategoricalCrossentropy', oneHot],
    ['SparseCategoricalCrossentropy', t([2], [1, 2])],
  ])('%s', (type, yTrue) => {
    expectPrinted(loss({ type }).call(yTrue, probs), 1.177);
    expectPrinted(loss({ type }).call(yTrue, probs, [0.3, 0.7]), 0.814);
    expectPrinted(loss({ type, reduction: 'sum' }).call(yTrue, probs), 2.354);
    const none = loss({ type, reduction: 'none' }).values(yTrue, probs);
    expectPrinted(none[0], 0.0513);
    expectPrinted(none[1], 2.303);
  });

  test('CategoricalFocalCrossentropy', () => {
    const cfc = (args: Record<string, unknown> = {}) => loss({ type: 'CategoricalFocalCrossentropy', ...args });
    expectPrinted(cfc().call(oneHot, probs), 0.23315276);
    expectPrinted(cfc().call(oneHot, probs, [0.3, 0.7]), 0.1632);
    expectPrinted(cfc({ reduction: 'sum' }).call(oneHot, probs), 0.46631);
    const none = cfc({ reduction: 'none' }).values(oneHot, probs);
    expectPrinted(none[0], 3.2058331e-5);
    expectPrinted(none[1], 0.46627346);
    const fn = cfc({ reduction: 'none' }).values(oneHot, t([2, 3], [0.05, 0.9, 0.05, 0.1, 0.85, 0.05]));
    expectPrinted(fn[0], 2.63401289e-4);
    expectPrinted(fn[1], 0.675912094);
  });

  test('Dice', () => {
    const yTrue = t([2, 2, 2, 1], [1, 1, 0, 0, 1, 1, 0, 0]);
    const yPred = t([2, 2, 2, 1], [0, 1, 0, 1, 0.4, 0, 0, 0.9]);
    const perImage = loss({ type: 'Dice', axis: [1, 2, 3], reduction: 'none' }).values(yTrue, yPred);
    expectPrinted(perImage[0], 0.5);
    expectPrinted(perImage[1], 0.75757575);
    expectPrinted(loss('dice').call(yTrue, yPred), 0.6164384);
  });

  test('Huber, LogCosh, CosineSimilarity', () => {
    expectPrinted(loss('huber').call(t([2, 2], [0, 1, 0, 0]), t([2, 2], [0.6, 0.4, 0.4, 0.6])), 0.155);
    expectPrinted(loss('log_cosh').call(t([2, 2], [0, 1, 0, 0]), t([2, 2], [1, 1, 0, 0])), 0.108);
    const cos = loss({ type: 'CosineSimilarity', reduction: 'none' }).values(t([3, 2], [0, 1, 1, 1, 1, 1]), t([3, 2], [1, 0, 1, 1, -1, -1]));
    expectPrinted(cos[0], 0);
    expectPrinted(cos[1], -0.99999994);
    expectPrinted(cos[2], 0.99999994);
  });
});
