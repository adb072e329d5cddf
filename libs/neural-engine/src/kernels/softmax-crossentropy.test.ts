import { describe, expect, test } from 'vitest';
import { getActivation } from '../activations/index.js';
import { getLoss } from '../losses/index.js';
import type { Tensor } from '../tensor.js';
import { float64Backend, maxRelativeError, numericGradient, testInputs } from '../testing/gradient-check.js';
import { oneHot } from '../testing/loss-test-data.js';

/*
 * Categorical crossentropy fused with the softmax's backward pass (softmax-crossentropy.ts), on the float64 backend:
 * dL/dlogits against centered finite differences of loss(softmax(logits)), and against the three backward passes it
 * replaces (the loss' dL/dyPred, then the softmax's Jacobian), clipped classes included.
 */

const b = float64Backend;
const softmax = getActivation('softmax');

interface Case {
  logits: Float64Array;
  labels: Float64Array;
  shape: number[];
  labelSmoothing?: number;
  sampleWeight?: number[];
  reduction?: 'sum_over_batch_size' | 'sum';
  /** Sparse: labels are class indices, one per row (SparseCategoricalCrossentropy). */
  sparse?: { ignoreClass?: number };
}

/** The fused gradient, the loss it comes with, and the composed chain's loss and gradient. */
function gradients({ logits, labels, shape, labelSmoothing = 0, sampleWeight, reduction = 'sum_over_batch_size', sparse }: Case) {
  const loss = getLoss(
    sparse ? { type: 'SparseCategoricalCrossentropy', reduction, ignoreClass: sparse.ignoreClass ?? null } : { type: 'CategoricalCrossentropy', labelSmoothing, reduction },
    b,
  );
  const z = b.fromValues(shape, logits);
  const t = b.fromValues(sparse ? shape.slice(0, -1) : shape, labels);
  const probs = softmax.apply(z, b);
  const fused = loss.callWithLogitsGradient!(t, probs, sampleWeight)!;
  const composed = loss.callWithGradient(t, probs, sampleWeight);
  const chained = softmax.gradient(z, probs, composed.grad, b);
  const f = (x: Float64Array): number => loss.call(t, softmax.apply(b.fromValues(shape, x), b), sampleWeight);
  return { fused, composed: { loss: composed.loss, grad: chained }, f };
}

function expectClose(a: Tensor, b: Tensor, tolerance: number): void {
  expect(maxRelativeError(a.data, b.data, 1e-8)).toBeLessThan(tolerance);
}

describe('softmax crossentropy backward', () => {
  const cases: [string, Case][] = [
    ['one-hot labels, 4 rows of 3 classes', { logits: testInputs(12, 3, 2), labels: oneHot(4, 3), shape: [4, 3] }],
    ['label smoothing 0.2, 5 rows of 7 classes', { logits: testInputs(35, 2, 5), labels: oneHot(5, 7, 9), shape: [5, 7], labelSmoothing: 0.2 }],
    ['soft labels, sample weights, sum reduction', {
      logits: testInputs(12, 2, 7), labels: Float64Array.from([0.2, 0.5, 0.3, 1, 0, 0, 0.1, 0.1, 0.8, 0, 0.6, 0.4]), shape: [4, 3],
      sampleWeight: [0.5, 2, 0, 1.25], reduction: 'sum',
    }],
    ['a time axis: [2, 3, 4]', { logits: testInputs(24, 3, 11), labels: oneHot(6, 4, 13), shape: [2, 3, 4] }],
    ['one class', { logits: testInputs(3, 2, 3), labels: Float64Array.of(1, 1, 1), shape: [3, 1] }],
    ['sparse labels, 4 rows of 3 classes', { logits: testInputs(12, 3, 2), labels: Float64Array.of(2, 0, 1, 1), shape: [4, 3], sparse: {} }],
    ['sparse labels over a time axis, ignoreClass 1, sample weights', {
      logits: testInputs(24, 3, 11), labels: Float64Array.of(0, 1, 3, 2, 1, 0), shape: [2, 3, 4], sparse: { ignoreClass: 1 }, sampleWeight: [2, 0.5],
    }],
  ];

  test.each(cases)('%s: matches finite differences of loss(softmax(logits))', (_, c) => {
    const { fused, f } = gradients(c);
    expect(fused.loss).toBeCloseTo(f(c.logits), 12);
    const numeric = numericGradient(f, c.logits);
    if (c.shape[c.shape.length - 1]! > 1) expect(Math.max(...numeric.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(maxRelativeError(fused.grad.data, numeric)).toBeLessThan(1e-6);
  });

  test.each(cases)('%s: equals the chain of the backward passes it replaces', (_, c) => {
    const { fused, composed } = gradients(c);
    expect(fused.loss).toBe(composed.loss);
    expectClose(fused.grad, composed.grad, 1e-12);
  });

  test('a class clipped at ε passes no gradient, as the chain through the clip does', () => {
    // Row 0's true class is far below ε = 1e-7 (e^-30); row 1's prediction is above 1 - ε on its true class.
    const logits = Float64Array.of(-30, 0, 0, 40, 0, 0);
    const labels = Float64Array.of(1, 0, 0, 1, 0, 0);
    const { fused, composed } = gradients({ logits, labels, shape: [2, 3] });
    expectClose(fused.grad, composed.grad, 1e-12);
    // Clipped, the target's gradient is gone: only q·0 - 0 remains in row 0, and row 1 has no passing target either.
    expect(Array.from(fused.grad.data)).toEqual([0, 0, 0, 0, 0, 0]);
    // Unclipped (logit -10: q ≈ 2e-5), the same row pulls the true class up.
    const { fused: open } = gradients({ logits: Float64Array.of(-10, 0, 0), labels: Float64Array.of(1, 0, 0), shape: [1, 3] });
    expect(open.grad.data[0]).toBeLessThan(-0.99);
  });

  test('losses that cannot take over the softmax decline', () => {
    const t = b.fromValues([2, 3], oneHot(2, 3));
    const p = softmax.apply(b.fromValues([2, 3], testInputs(6)), b);
    for (const config of [
      { type: 'CategoricalCrossentropy', fromLogits: true },
      { type: 'CategoricalCrossentropy', axis: 0 },
      { type: 'SparseCategoricalCrossentropy', fromLogits: true },
      'mse',
      'categorical_focal_crossentropy',
      'kl_divergence',
    ]) {
      expect(getLoss(config, b).callWithLogitsGradient?.(t, p) ?? null).toBeNull();
    }
    expect(getLoss({ type: 'CategoricalCrossentropy', axis: 1 }, b).callWithLogitsGradient!(t, p)).not.toBeNull();
  });

  test('rejects labels of another shape and a row scale per row missing', () => {
    const p = b.fromValues([2, 3], testInputs(6));
    expect(() => b.softmaxCrossentropyBackward(p, b.fromValues([3, 2], testInputs(6)), 0, [1, 1])).toThrow(
      'softmax crossentropy of probabilities (2, 3) against labels (3, 2): expected one shape',
    );
    expect(() => b.softmaxCrossentropyBackward(p, p, 0, [1])).toThrow('softmax crossentropy of 2 rows given 1 row scales; expected one per row');
  });
});
