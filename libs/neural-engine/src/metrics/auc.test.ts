import { describe, expect, test } from 'vitest';
import { Rng } from '../rng.js';
import { AUC } from './auc.js';
import { type Batch, resultOver, tensor } from '../testing/metric-batches.js';

/** Exact weighted ROC-AUC by pairwise counting: P(score_pos > score_neg), ties counting one half. */
function exactRocAuc(y: number[], s: number[], w: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      const pair = w[i]! * w[j]!;
      den += pair;
      num += pair * (s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

/** Splits samples into batches of at most `size`. */
function batchesOf(y: number[], p: number[], w: number[] | null, size: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < y.length; i += size) {
    const n = Math.min(size, y.length - i);
    out.push({ yTrue: tensor([n, 1], y.slice(i, i + n)), yPred: tensor([n, 1], p.slice(i, i + n)), sampleWeight: w?.slice(i, i + n) ?? null });
  }
  return out;
}

describe('ROC', () => {
  test('200 thresholds are within 1e-3 of the exact pairwise ROC-AUC (1500 samples, 3 batches, weights)', () => {
    const rng = new Rng(5);
    const n = 1500;
    const s = Array.from({ length: n }, () => rng.uniform());
    // Labels drawn with P(1) = score: an informative but imperfect classifier (AUC ≈ 0.83).
    const y = s.map((v) => (rng.uniform() < v ? 1 : 0));
    const w = Array.from({ length: n }, () => rng.uniformRange(0.5, 2));
    const exact = exactRocAuc(y, s, w);
    const m = new AUC();
    const approx = resultOver(m, batchesOf(y, s, w, 500));
    expect(exact).toBeGreaterThan(0.75);
    expect(Math.abs(approx - exact)).toBeLessThan(1e-3);
    // Unweighted as well.
    expect(Math.abs(resultOver(m, batchesOf(y, s, null, 700)) - exactRocAuc(y, s, s.map(() => 1)))).toBeLessThan(1e-3);
    m.reset();
    expect(m.result()).toBe(0);
  });

  test('Keras docstring: numThresholds 3 → 0.75, weighted → 1; minoring and majoring bounds', () => {
    // Thresholds [-ε, 0.5, 1+ε]: tp = [2, 1, 0], fp = [2, 0, 0] → TPR [1, 0.5, 0], FPR [1, 0, 0]:
    // interpolation (1 - 0)·(1 + 0.5)/2 = 0.75; minoring (1 - 0)·0.5 = 0.5; majoring (1 - 0)·1 = 1.
    const batches = batchesOf([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], null, 2);
    expect(resultOver(new AUC({ numThresholds: 3 }), batches)).toBeCloseTo(0.75, 12);
    expect(resultOver(new AUC({ numThresholds: 3, summationMethod: 'minoring' }), batches)).toBeCloseTo(0.5, 12);
    expect(resultOver(new AUC({ numThresholds: 3, summationMethod: 'majoring' }), batches)).toBeCloseTo(1, 12);
    expect(resultOver(new AUC({ numThresholds: 3 }), batchesOf([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1], 3))).toBeCloseTo(1, 12);
  });

  test('fromLogits applies a sigmoid; explicit thresholds', () => {
    const p = [0.1, 0.35, 0.4, 0.8, 0.65, 0.2];
    const y = [0, 1, 0, 1, 1, 0];
    const logits = p.map((v) => Math.log(v / (1 - v)));
    expect(resultOver(new AUC({ fromLogits: true }), batchesOf(y, logits, null, 4))).toBeCloseTo(resultOver(new AUC(), batchesOf(y, p, null, 4)), 12);
    // Thresholds [0.3, 0.5] → with endpoints [-ε, 0.3, 0.5, 1+ε]: TPR [1, 1, 2/3, 0], FPR [1, 1/3, 0, 0]:
    // (1 - 1/3)·(1 + 1)/2 + (1/3 - 0)·(1 + 2/3)/2 + 0 = 2/3 + 5/18.
    const m = new AUC({ thresholds: [0.5, 0.3] });
    expect(m.numThresholds).toBe(4);
    expect(resultOver(m, batchesOf(y, p, null, 4))).toBeCloseTo(2 / 3 + 5 / 18, 12);
  });
});

describe('PR', () => {
  const batches = batchesOf([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], null, 2);
  test('interpolation (Davis & Goadrich), hand-derived on the docstring data', () => {
    // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2]; P = tp + fp = [4, 1, 0].
    // Interval 0→1: ΔTP = 1, ΔP = 3, slope 1/3, intercept 1 - 1/3 = 2/3, P ratio 4 → (1/3)(1 + (2/3)·ln 4) / (tp₁ + fn₁ = 2).
    // Interval 1→2: ΔTP = 1, ΔP = 1, slope 1, intercept 0, P₂ = 0 so the ratio is taken as 1 → 1·(1 + 0) / 2.
    const expected = ((1 / 3) * (1 + (2 / 3) * Math.log(4))) / 2 + 0.5;
    expect(resultOver(new AUC({ numThresholds: 3, curve: 'PR' }), batches)).toBeCloseTo(expected, 12);
  });
  test('minoring and majoring use precision heights over recall', () => {
    // Recall [1, 0.5, 0], precision [0.5, 1, 0 (0/0)]: minoring 0.5·0.5 + 0.5·0 = 0.25; majoring 0.5·1 + 0.5·1 = 1.
    expect(resultOver(new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'minoring' }), batches)).toBeCloseTo(0.25, 12);
    expect(resultOver(new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'majoring' }), batches)).toBeCloseTo(1, 12);
  });
});

describe('multi-label and label weights', () => {
  const rng = new Rng(9);
  const n = 60;
  const p = Array.from({ length: n * 2 }, () => rng.uniform());
  const y = p.map((v) => (rng.uniform() < v ? 1 : 0));
  const col = (k: number, a: number[]) => a.filter((_, i) => i % 2 === k);
  const full: Batch[] = [
    { yTrue: tensor([30, 2], y.slice(0, 60)), yPred: tensor([30, 2], p.slice(0, 60)) },
    { yTrue: tensor([30, 2], y.slice(60)), yPred: tensor([30, 2], p.slice(60)) },
  ];
  const auc0 = resultOver(new AUC(), batchesOf(col(0, y), col(0, p), null, 30));
  const auc1 = resultOver(new AUC(), batchesOf(col(1, y), col(1, p), null, 30));

  test('multiLabel averages the per-label AUCs; labelWeights weight that average', () => {
    expect(resultOver(new AUC({ multiLabel: true }), full)).toBeCloseTo((auc0 + auc1) / 2, 12);
    expect(resultOver(new AUC({ multiLabel: true, labelWeights: [1, 3] }), full)).toBeCloseTo((auc0 + 3 * auc1) / 4, 12);
  });

  test('without multiLabel every prediction is one binary decision; labelWeights weight each column', () => {
    expect(resultOver(new AUC(), full)).toBeCloseTo(resultOver(new AUC(), batchesOf(y, p, null, 40)), 12);
    // Label weight 0 on column 1 leaves column 0's AUC.
    expect(resultOver(new AUC({ labelWeights: [1, 0] }), full)).toBeCloseTo(auc0, 12);
  });
});
