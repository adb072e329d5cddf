import { describe, it } from 'vitest';
import { Adamax } from './adamax.js';
import { GRADS, W0, expectClose, expectStoragePrecision, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

describe('Adamax', () => {
  it('3 steps: m += (g - m)(1 - β1), u = max(β2·u, |g|), w -= lr·m/((1 - β1^t)(u + ε))', () => {
    // Step 1 by hand (lr 0.1): m1 = 0.1·g, u1 = |g|, w1 = w0 - 0.1·0.1g/(0.1·(|g| + 1e-7)) ≈ w0 - 0.1·sign(g) = [0.9, -1.9, 0.4].
    // Step 2: m2 = 0.9·m1 + 0.1·g2 = [0.049, -0.018, -0.023], u2 = max(0.999·u1, |g2|) = [0.4, 0.1998, 0.5],
    // w2 = w1 - 0.1·m2/(0.19·(u2 + ε)) = [0.9 - 0.0644737, -1.9 + 0.0474158, 0.4 + 0.0242105] = [0.835526, -1.852584, 0.424211].
    const out = trajectory(new Adamax({ learningRate: 0.1 }));
    expectClose(out[0]!, [0.9, -1.9, 0.4], 1e-5);
    expectClose(out[1]!, [0.835526, -1.852584, 0.424211], 2e-6);
    const w = [...W0];
    const m = [0, 0, 0];
    const u = [0, 0, 0];
    const expected = GRADS.map((g, s) => {
      for (let i = 0; i < 3; i++) {
        m[i] = m[i]! + (g[i]! - m[i]!) * 0.1;
        u[i] = Math.max(0.999 * u[i]!, Math.abs(g[i]!));
        w[i] = w[i]! - (0.1 * m[i]!) / ((1 - 0.9 ** (s + 1)) * (u[i]! + 1e-7));
      }
      return [...w];
    });
    expectTrajectory(out, expected);
  });
});

describe('Adamax update in the storage precision', () => {
  it('float32 storage in float32, float64 in float64', () => {
    // One element with history (float32 values) where the two precisions differ: w 0.5, g 0.1, m 0.01, u 0.5 (so
    // the maximum is β2·u, a rounded product).
    const [w, g, m, u] = [0.5, 0.1, 0.01, 0.5].map(Math.fround) as [number, number, number, number];
    const c = { lr: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction: 1 - 0.9 ** 3 };
    expectStoragePrecision('adamax', [w, g, m, u], c, (r) => {
      const [lr, c1, b2, eps, k] = [r(c.lr), r(1 - c.beta1), r(c.beta2), r(c.epsilon), r(c.correction)];
      const m1 = r(m + r(r(g - m) * c1));
      const u1 = Math.max(r(b2 * u), Math.abs(g));
      return [r(w - r(r(lr * m1) / r(k * r(u1 + eps)))), m1, u1];
    });
  });
});
