import { describe, it } from 'vitest';
import { Adamax } from './adamax.js';
import { GRADS, W0, expectClose, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

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
