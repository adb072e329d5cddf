import { describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { expectClose, expectStoragePrecision, step, variable } from '../testing/optimizer-steps.js';

const w0 = [1, -2, 0.5];
const grads = [
  [0.1, -0.2, 0.3],
  [0.4, 0, -0.5],
  [-0.3, 0.2, 0.1],
];

/**
 * Keras 3 Adam written out per element, for plain numbers:
 *   m = m + (g - m)(1 - β1);  v = v + (g² - v)(1 - β2);  v̂max = max(v̂max, v) with amsgrad
 *   w = w·(1 - wd·lr)   (decoupled weight decay, applied first)
 *   w = w - lr·sqrt(1 - β2^t)/(1 - β1^t) · m / (sqrt(v or v̂max) + ε)
 */
function adamReference(gs: number[][], lr: number, { b1 = 0.9, b2 = 0.999, eps = 1e-7, amsgrad = false, wd = 0 } = {}): number[][] {
  const w = [...w0];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const vmax = [0, 0, 0];
  return gs.map((g, s) => {
    const t = s + 1;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < 3; i++) {
      w[i] = w[i]! - w[i]! * wd * lr;
      m[i] = m[i]! + (g[i]! - m[i]!) * (1 - b1);
      v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - b2);
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      w[i] = w[i]! - (alpha * m[i]!) / (Math.sqrt(amsgrad ? vmax[i]! : v[i]!) + eps);
    }
    return [...w];
  });
}

function run(opt: Adam, gs: number[][]): number[][] {
  const w = variable(w0);
  return gs.map((g) => {
    step(opt, [w], [g]);
    return Array.from(w.value.data);
  });
}

describe('Adam', () => {
  it('matches the written-out update for 3 steps', () => {
    // Step 1 by hand: m1 = 0.1·g1 = [0.01, -0.02, 0.03], v1 = 0.001·g1² = [1e-5, 4e-5, 9e-5],
    // alpha1 = 0.1·sqrt(1 - 0.999)/(1 - 0.9) = 0.1·0.0316228/0.1 = 0.0316228, m1/(sqrt(v1) + 1e-7) ≈ ±3.16218,
    // so w moves by about lr·sign(g): w1 ≈ [0.9000032, -1.9000016, 0.4000011] (the ε shortens each step a little).
    const out = run(new Adam({ learningRate: 0.1 }), grads);
    expectClose(out[0]!, [1 - 0.1 * (0.1 / (0.1 + 1e-7 / Math.sqrt(0.001))), -2 + 0.1 * (0.2 / (0.2 + 1e-7 / Math.sqrt(0.001))), 0.5 - 0.1 * (0.3 / (0.3 + 1e-7 / Math.sqrt(0.001)))]);
    const expected = adamReference(grads, 0.1);
    out.forEach((w, i) => expectClose(w, expected[i]!));
  });

  it('amsgrad uses the running maximum of v', () => {
    // g2 is tiny, so v2 = 0.999·v1 + 0.001·g2² < v1 and AMSGrad keeps dividing by sqrt(v1)-sized values.
    const gs = [
      [1, -1, 0.5],
      [0.01, 0, -0.01],
      [0.02, 0.01, 0],
    ];
    const out = run(new Adam({ learningRate: 0.1, amsgrad: true }), gs);
    const expected = adamReference(gs, 0.1, { amsgrad: true });
    out.forEach((w, i) => expectClose(w, expected[i]!));
    const plain = adamReference(gs, 0.1);
    expect(Math.abs(plain[2]![0]! - expected[2]![0]!)).toBeGreaterThan(1e-5);
  });

  it('AdamW applies decoupled weight decay 0.004 by default', () => {
    // w ← w - w·0.004·0.1 before each Adam update; e.g. step 1 first scales w0 by 0.9996.
    const out = run(new AdamW({ learningRate: 0.1 }), grads);
    const expected = adamReference(grads, 0.1, { wd: 0.004 });
    out.forEach((w, i) => expectClose(w, expected[i]!));
    expect(new AdamW().getConfig()).toMatchObject({ type: 'AdamW', weightDecay: 0.004, learningRate: 0.001 });
  });
});

describe('Adam update in the storage precision', () => {
  // One element with history (float32 values): w 0.5, g 0.1, m 0.01, v 0.001, and with AMSGrad vHat 0.002 > v, so
  // the maximum is the one used. In float64, m + (g - m)·(1 - β1) is 0.019, stored as 0.018999999389; in float32,
  // g - m and the product are rounded first and the sum is 0.019000001252.
  const [w, g, m, v, vHat] = [0.5, 0.1, 0.01, 0.001, 0.002].map(Math.fround) as [number, number, number, number, number];
  const c = { alpha: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

  it.each([false, true])('float32 storage in float32 (as Keras and TF.js), float64 in float64 (amsgrad %s)', (amsgrad) => {
    expectStoragePrecision('adam', [w, g, m, v, amsgrad ? vHat : null], c, (r) => {
      const [a, c1, c2, eps] = [r(c.alpha), r(1 - c.beta1), r(1 - c.beta2), r(c.epsilon)];
      const m1 = r(m + r(r(g - m) * c1));
      const v1 = r(v + r(r(r(g * g) - v) * c2));
      const vUsed = amsgrad ? Math.max(vHat, v1) : v1;
      return [r(w - r(r(m1 * a) / r(r(Math.sqrt(vUsed)) + eps))), m1, v1, ...(amsgrad ? [vUsed] : [])];
    });
  });
});
