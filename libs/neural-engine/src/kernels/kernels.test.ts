import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import { Rng } from '../rng.js';
import { matmulNN, matmulNT, matmulTN } from './matmul.js';
import { referenceAddRowVector, referenceMatmul, referenceSum, referenceSumRows } from './reference.js';
import { addRowVector, sumRows } from './rows.js';
import { testBackend } from '../testing/test-backend.js';

function random(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniformRange(-1, 1);
  return a;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

// Shapes cover the block edges (128 along k, 256 and 64 along n) and degenerate 1-sized dimensions.
const shapes: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [17, 129, 65], [64, 300, 257], [2, 1, 300], [33, 256, 1],
];

describe('matmul kernels against the naive reference', () => {
  const rng = new Rng(7);
  for (const [m, k, n] of shapes) {
    it(`A·B, Aᵀ·B and A·Bᵀ agree for m=${m} k=${k} n=${n}`, () => {
      const a = random(m * k, rng);
      const b = random(k * n, rng);
      const c = new Float32Array(m * n);
      matmulNN(a, b, c, m, k, n);
      // float32 accumulation over k terms of magnitude <= 1: error grows like k·ε.
      const tol = 1e-6 * k + 1e-6;
      expect(maxAbsDiff(c, referenceMatmul(a, b, m, k, n))).toBeLessThan(tol);

      const at = random(k * m, rng); // stored [k, m]
      matmulTN(at, b, c, m, k, n);
      expect(maxAbsDiff(c, referenceMatmul(at, b, m, k, n, true, false))).toBeLessThan(tol);

      const bt = random(n * k, rng); // stored [n, k]
      matmulNT(a, bt, c, m, k, n);
      expect(maxAbsDiff(c, referenceMatmul(a, bt, m, k, n, false, true))).toBeLessThan(tol);
    });
  }

  it('computing row ranges separately gives bitwise the same result as one call (thread-split invariance)', () => {
    const [m, k, n] = [37, 150, 70];
    const a = random(m * k, rng);
    const b = random(k * n, rng);
    const bt = random(n * k, rng);
    const at = random(k * m, rng);
    for (const kernel of ['NN', 'TN', 'NT'] as const) {
      const whole = new Float32Array(m * n);
      const split = new Float32Array(m * n).fill(123); // stale values must be overwritten
      const run = (c: Float32Array, r0: number, r1: number): void => {
        if (kernel === 'NN') matmulNN(a, b, c, m, k, n, r0, r1);
        else if (kernel === 'TN') matmulTN(at, b, c, m, k, n, r0, r1);
        else matmulNT(a, bt, c, m, k, n, r0, r1);
      };
      run(whole, 0, m);
      run(split, 0, 10);
      run(split, 10, 11);
      run(split, 11, m);
      expect(Buffer.from(split.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
    }
  });
});

describe('row helpers against the naive reference', () => {
  const rng = new Rng(3);
  it('addRowVector and sumRows', () => {
    const [rows, cols] = [13, 9];
    const x = random(rows * cols, rng);
    const v = random(cols, rng);
    const out = new Float32Array(rows * cols);
    addRowVector(x, v, out, cols, 0, rows);
    expect(maxAbsDiff(out, referenceAddRowVector(x, v, rows, cols))).toBeLessThan(1e-6);
    const sums = new Float32Array(cols);
    sumRows(x, sums, rows, cols);
    expect(maxAbsDiff(sums, referenceSumRows(x, rows, cols))).toBeLessThan(1e-5);
  });

  it('backend reductions match the reference', () => {
    const backend = new JsBackend('float64');
    const values = Array.from({ length: 100 }, () => rng.uniformRange(-3, 3));
    const t = backend.fromValues([10, 10], values);
    expect(backend.sum(t)).toBeCloseTo(referenceSum(values), 12);
    expect(backend.sumSquares(t)).toBeCloseTo(referenceSum(values.map((v) => v * v)), 12);
    const product = backend.matmul(t, t, { transposeB: true });
    expect(maxAbsDiff(product.data, referenceMatmul(values, values, 10, 10, 10, false, true))).toBeLessThan(1e-12);
  });

  it('backend rejects mismatched shapes with messages that name them', () => {
    const backend = testBackend();
    expect(() => backend.matmul(backend.zeros([2, 3]), backend.zeros([2, 3]))).toThrow(/inner dimensions differ: \(2, 3\) · \(2, 3\)/);
    expect(() => backend.fromValues([2, 2], [1, 2, 3])).toThrow(/needs 4 values, received 3/);
    expect(() => backend.reshape(backend.zeros([2, 3]), [4])).toThrow(/cannot reshape/);
  });
});
