import { describe, it } from 'vitest';
import { Adadelta } from './adadelta.js';
import { GRADS, W0, expectClose, expectStoragePrecision, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

describe('Adadelta', () => {
  it('3 steps: E[g²], Δ = -sqrt(E[Δ²] + ε)/sqrt(E[g²] + ε)·g, E[Δ²], w += lr·Δ', () => {
    // Step 1 by hand (lr 1, ρ 0.95): E[g²] = 0.05·g1² = [5e-4, 2e-3, 4.5e-3];
    // Δ = -sqrt(1e-7)·g/sqrt(0.05·g² + 1e-7) ≈ -3.16228e-4·sign(g)/sqrt(0.05) = ∓1.41421e-3 (ε in the denominator trims it
    // slightly): w1 ≈ [0.998586, -1.998586, 0.498586].
    const out = trajectory(new Adadelta({ learningRate: 1 }));
    expectClose(out[0]!, [0.998586, -1.998586, 0.498586], 2e-6);
    const w = [...W0];
    const eg = [0, 0, 0];
    const ed = [0, 0, 0];
    const expected = GRADS.map((g) => {
      for (let i = 0; i < 3; i++) {
        eg[i] = 0.95 * eg[i]! + 0.05 * g[i]! ** 2;
        const delta = (-Math.sqrt(ed[i]! + 1e-7) * g[i]!) / Math.sqrt(eg[i]! + 1e-7);
        ed[i] = 0.95 * ed[i]! + 0.05 * delta ** 2;
        w[i] = w[i]! + 1 * delta;
      }
      return [...w];
    });
    expectTrajectory(out, expected);
  });
});

describe('Adadelta update in the storage precision', () => {
  it('float32 storage in float32, float64 in float64', () => {
    // One element with history (float32 values) where the two precisions differ: w 0.5, g 0.1, E[g²] 0.01, E[Δ²] 0.001.
    const [w, g, accGrad, accDelta] = [0.5, 0.1, 0.01, 0.001].map(Math.fround) as [number, number, number, number];
    const c = { lr: 0.001, rho: 0.95, epsilon: 1e-7 };
    expectStoragePrecision('adadelta', [w, g, accGrad, accDelta], c, (r) => {
      const [lr, rho, k, eps] = [r(c.lr), r(c.rho), r(1 - c.rho), r(c.epsilon)];
      const accGrad1 = r(r(rho * accGrad) + r(r(k * g) * g));
      const delta = r(-r(r(Math.sqrt(r(accDelta + eps))) * g) / r(Math.sqrt(r(accGrad1 + eps))));
      const accDelta1 = r(r(rho * accDelta) + r(r(k * delta) * delta));
      return [r(w + r(lr * delta)), accGrad1, accDelta1];
    });
  });
});
