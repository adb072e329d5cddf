import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { float64Backend, maxRelativeError, numericGradient, testInputs } from '../testing/gradient-check.js';
import { OrthogonalRegularizer } from './orthogonal-regularizer.js';

const b = float64Backend;
/** Max relative error allowed between analytic and centered-difference gradients in float64. */
const TOLERANCE = 1e-6;

describe('OrthogonalRegularizer penalty', () => {
  it('is 0 for orthogonal rows, whatever their norms', () => {
    expect(new OrthogonalRegularizer().penalty(b.fromValues([2, 2], [3, 0, 0, -0.5]))).toBe(0);
  });
  it('is factor·|cos| for two vectors (one pair)', () => {
    // Rows (1, 0) and (1, 1): cosine 1/√2. Columns (1, 1) and (0, 1): cosine 1/√2 too.
    const w = b.fromValues([2, 2], [1, 0, 1, 1]);
    expect(new OrthogonalRegularizer({ factor: 0.2 }).penalty(w)).toBeCloseTo(0.2 / Math.SQRT2, 12);
    expect(new OrthogonalRegularizer({ factor: 0.2, mode: 'columns' }).penalty(w)).toBeCloseTo(0.2 / Math.SQRT2, 12);
  });
  it('averages |cos| over the n(n−1)/2 pairs, rows vs columns', () => {
    // Rows (1,0), (0,1), (1,1): |cos| of the pairs 0, 1/√2, 1/√2, mean √2/3. Columns (1,0,1), (0,1,1): cos 1/2, one pair.
    const w = b.fromValues([3, 2], [1, 0, 0, 1, 1, 1]);
    expect(new OrthogonalRegularizer({ factor: 1 }).penalty(w)).toBeCloseTo(Math.SQRT2 / 3, 12);
    expect(new OrthogonalRegularizer({ factor: 1, mode: 'columns' }).penalty(w)).toBeCloseTo(0.5, 12);
  });
  it('defaults to factor 0.01, mode rows', () => {
    expect(new OrthogonalRegularizer().getConfig()).toEqual({ type: 'OrthogonalRegularizer', factor: 0.01, mode: 'rows' });
  });
  it('rejects weights that are not rank 2 (Keras raises)', () => {
    expect(() => new OrthogonalRegularizer().penalty(b.fromValues([3], [1, 2, 3]))).toThrow(ConfigError);
  });
});

describe('OrthogonalRegularizer against the Keras 3 formula evaluated with TensorFlow.js ops', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  /** factor·½·Σ|offdiag(UUᵀ)|/(n(n−1)/2), U the vectors divided by max(norm, 1e-7), as keras/src/regularizers does. */
  function kerasPenalty(values: Float64Array, shape: [number, number], factor: number, mode: 'rows' | 'columns'): number {
    return tf.tidy(() => {
      let x = tf.tensor2d(Array.from(values), shape);
      if (mode === 'columns') x = x.transpose();
      const norms = x.square().sum(1, true).sqrt();
      const u = x.div(tf.maximum(norms, 1e-7));
      const n = u.shape[0];
      const product = tf.matMul(u, u, false, true).mul(tf.sub(1, tf.eye(n)));
      return (factor * 0.5 * product.abs().sum().dataSync()[0]!) / ((n * (n - 1)) / 2);
    });
  }
  for (const mode of ['rows', 'columns'] as const) {
    it(`${mode}: agrees on random 5×4 weights`, () => {
      const values = testInputs(20, 2, 3);
      const ours = new OrthogonalRegularizer({ factor: 0.3, mode }).penalty(b.fromValues([5, 4], values));
      expect(ours).toBeCloseTo(kerasPenalty(values, [5, 4], 0.3, mode), 5);
    });
  }
});

describe('OrthogonalRegularizer gradient', () => {
  for (const mode of ['rows', 'columns'] as const) {
    for (const shape of [[4, 3], [3, 5]] as Array<[number, number]>) {
      it(`${mode}, shape [${shape.join(', ')}]: matches centered differences (rel. error < ${TOLERANCE})`, () => {
        // Inputs include 0 and negatives; no row or column is all zeros and no cosine is exactly 0, so the penalty is
        // smooth at these points.
        const inputs = testInputs(shape[0] * shape[1], 2, 11);
        const reg = new OrthogonalRegularizer({ factor: 0.5, mode });
        const f = (v: Float64Array) => reg.penalty(b.fromValues(shape, v));
        const numeric = numericGradient(f, inputs);
        const grad = b.zeros(shape);
        reg.accumulateGradient(b.fromValues(shape, inputs), grad);
        expect(maxRelativeError(grad.data, numeric)).toBeLessThan(TOLERANCE);
        expect(Math.max(...Array.from(grad.data, Math.abs))).toBeGreaterThan(1e-3);
      });
    }
  }
  it('an all-zero row gets gradient 0 and contributes nothing to the others (sign(0) = 0, as TensorFlow)', () => {
    // The penalty is not differentiable there (the row's direction is undefined), so this is checked analytically.
    const reg = new OrthogonalRegularizer({ factor: 1 });
    const w = b.fromValues([3, 2], [0, 0, 1, 2, -2, 1]);
    const grad = b.zeros([3, 2]);
    reg.accumulateGradient(w, grad);
    expect([grad.data[0], grad.data[1]]).toEqual([0, 0]);
    // Rows 1 and 2 are orthogonal: their cosine is 0 too, so the whole gradient vanishes.
    expect(Array.from(grad.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(reg.penalty(w)).toBe(0);
  });
  it('a single vector has no pairs: penalty and gradient 0', () => {
    const reg = new OrthogonalRegularizer({ factor: 1 });
    const w = b.fromValues([1, 3], [1, 2, 3]);
    const grad = b.zeros([1, 3]);
    reg.accumulateGradient(w, grad);
    expect(reg.penalty(w)).toBe(0);
    expect(Array.from(grad.data)).toEqual([0, 0, 0]);
  });
});
