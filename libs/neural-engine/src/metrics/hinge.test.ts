import { expect, test } from 'vitest';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { type Batch, resultOver, tensor, weightedMean } from '../testing/metric-batches.js';

/*
 * Hinge metrics. Batch 1 is the Keras docstring example: labels [[0,1],[0,0]] (0/1, so mapped to -1/1:
 * [[-1,1],[-1,-1]]) against [[0.6,0.4],[0.4,0.6]]. Batch 2 has ±1 labels, used as they are.
 */
const b1: Batch = { yTrue: tensor([2, 2], [0, 1, 0, 0]), yPred: tensor([2, 2], [0.6, 0.4, 0.4, 0.6]), sampleWeight: [1, 0] };
const b2: Batch = { yTrue: tensor([1, 2], [1, -1]), yPred: tensor([1, 2], [2, 0.5]), sampleWeight: [3] };

test('Hinge: mean max(1 - y·p, 0)', () => {
  const r1 = (1.6 + 0.6) / 2; // max(1 + 0.6, 0), max(1 - 0.4, 0)
  const r2 = (1.4 + 1.6) / 2;
  const r3 = (0 + 1.5) / 2; // max(1 - 2, 0), max(1 + 0.5, 0)
  const m = new Hinge();
  expect(resultOver(m, [{ ...b1, sampleWeight: null }])).toBeCloseTo(1.3, 12); // docstring
  expect(resultOver(m, [b1])).toBeCloseTo(1.1, 12); // docstring, weights [1, 0]
  expect(resultOver(m, [b1, b2])).toBeCloseTo(weightedMean([r1, r2, r3], [1, 0, 3]), 12);
  m.reset();
  expect(m.result()).toBe(0);
});

test('SquaredHinge: mean max(1 - y·p, 0)²', () => {
  const r1 = (1.6 ** 2 + 0.6 ** 2) / 2;
  const r2 = (1.4 ** 2 + 1.6 ** 2) / 2;
  const r3 = (0 + 1.5 ** 2) / 2;
  const m = new SquaredHinge();
  expect(resultOver(m, [{ ...b1, sampleWeight: null }])).toBeCloseTo(1.86, 12); // docstring
  expect(resultOver(m, [b1, b2])).toBeCloseTo(weightedMean([r1, r2, r3], [1, 0, 3]), 12);
});

test('CategoricalHinge: max(max((1-y)·p) - Σy·p + 1, 0) (labels used as given)', () => {
  // Row [0,1] vs [0.6,0.4]: neg = 0.6, pos = 0.4 → 1.2. Row [0,0] vs [0.4,0.6]: neg = 0.6, pos = 0 → 1.6.
  // Row [1,0] vs [0.2,0.9]: neg = 0.9, pos = 0.2 → 1.7.
  const m = new CategoricalHinge();
  expect(resultOver(m, [{ ...b1, sampleWeight: null }])).toBeCloseTo(1.4, 12); // docstring
  expect(resultOver(m, [b1, { yTrue: tensor([1, 2], [1, 0]), yPred: tensor([1, 2], [0.2, 0.9]), sampleWeight: [2] }]))
    .toBeCloseTo(weightedMean([1.2, 1.6, 1.7], [1, 0, 2]), 12);
});
