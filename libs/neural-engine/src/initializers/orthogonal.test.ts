import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { Rng } from '../rng.js';
import { householderQr } from './householder-qr.js';
import { Orthogonal } from './orthogonal.js';
import { sampleMoments } from '../testing/sample-moments.js';

/** Largest |(MᵀM or MMᵀ) − gain²·I| of a row-major rows×cols matrix, over its smaller side. */
function orthogonalityError(m: Float64Array, rows: number, cols: number, gain = 1): number {
  const byColumns = rows >= cols;
  const n = byColumns ? cols : rows;
  const len = byColumns ? rows : cols;
  const at = (i: number, k: number) => (byColumns ? m[k * cols + i]! : m[i * cols + k]!);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
      worst = Math.max(worst, Math.abs(s - (i === j ? gain * gain : 0)));
    }
  }
  return worst;
}

describe('householderQr', () => {
  it('gives orthonormal Q with QᵀA upper triangular and diag(R) on its diagonal', () => {
    const rng = new Rng(3);
    const [m, n] = [7, 4];
    const a = Float64Array.from({ length: m * n }, () => rng.normal());
    const { q, rDiag } = householderQr(a, m, n);
    expect(orthogonalityError(q, m, n)).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0;
        for (let k = 0; k < m; k++) r += q[k * n + i]! * a[k * n + j]!;
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-12);
        if (i === j) expect(r).toBeCloseTo(rDiag[i]!, 12);
      }
    }
  });
  it('handles a zero column (rank deficiency) without NaN', () => {
    const { q, rDiag } = householderQr(new Float64Array([1, 0, 2, 0, 3, 0]), 3, 2);
    expect(q.every(Number.isFinite)).toBe(true);
    expect(rDiag[1]).toBe(0);
  });
});

describe('Orthogonal', () => {
  const cases: Array<[string, number[], number, number]> = [
    ['square', [16, 16], 16, 16],
    ['tall (orthonormal columns)', [50, 20], 50, 20],
    ['wide (orthonormal rows)', [20, 50], 20, 50],
    ['conv kernel flattened to [3·3·4, 8]', [3, 3, 4, 8], 36, 8],
    ['conv kernel with more outputs than inputs, [2·2·3, 40]', [2, 2, 3, 40], 12, 40],
  ];
  for (const [name, shape, rows, cols] of cases) {
    it(`${name}: WᵀW = I (or WWᵀ = I) to 1e-5`, () => {
      const w = new Orthogonal({ seed: 7 }).init(shape, new Rng(0));
      expect(w).toHaveLength(rows * cols);
      expect(orthogonalityError(w, rows, cols)).toBeLessThan(1e-5);
    });
  }

  it('scales by gain: WᵀW = gain²·I', () => {
    const w = new Orthogonal({ gain: 2, seed: 1 }).init([10, 6], new Rng(0));
    expect(orthogonalityError(w, 10, 6, 2)).toBeLessThan(1e-5);
  });

  it('is deterministic for a seed, different across seeds, and draws from the model RNG when unseeded', () => {
    const a = new Orthogonal({ seed: 5 }).init([8, 8], new Rng(0));
    expect(Array.from(new Orthogonal({ seed: 5 }).init([8, 8], new Rng(123)))).toEqual(Array.from(a));
    expect(Array.from(new Orthogonal({ seed: 6 }).init([8, 8], new Rng(0)))).not.toEqual(Array.from(a));
    const unseeded = new Orthogonal();
    expect(Array.from(unseeded.init([8, 8], new Rng(9)))).toEqual(Array.from(unseeded.init([8, 8], new Rng(9))));
    const shared = new Rng(9);
    expect(Array.from(unseeded.init([8, 8], shared))).not.toEqual(Array.from(unseeded.init([8, 8], shared)));
  });

  it('is unbiased: entries of a random n×n orthogonal matrix have mean 0 and variance 1/n (Haar measure)', () => {
    // Without the sign correction by diag(R), Householder QR would bias the diagonal's sign.
    const n = 6;
    const rng = new Rng(17);
    const init = new Orthogonal();
    const diagonal: number[] = [];
    const all: number[] = [];
    for (let t = 0; t < 4000; t++) {
      const w = init.init([n, n], rng);
      for (let i = 0; i < n; i++) diagonal.push(w[i * n + i]!);
      all.push(...w);
    }
    const d = sampleMoments(diagonal);
    expect(Math.abs(d.mean)).toBeLessThan(5 * d.meanError);
    const m = sampleMoments(all);
    expect(Math.abs(m.variance - 1 / n)).toBeLessThan(5 * m.varianceError);
  });

  it('rejects weights of rank < 2 with a ConfigError (Keras raises)', () => {
    expect(() => new Orthogonal().init([5], new Rng(0))).toThrow(ConfigError);
    expect(() => new Orthogonal().init([5], new Rng(0))).toThrow(/rank >= 2.*\(5,\)/);
  });
});
