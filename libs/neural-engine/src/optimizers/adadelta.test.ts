import { describe, it } from 'vitest';
import { Adadelta } from './adadelta.js';
import { GRADS, W0, expectClose, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

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
