import { describe, it } from 'vitest';
import { Adagrad } from './adagrad.js';
import { GRADS, W0, expectClose, expectStoragePrecision, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

describe('Adagrad', () => {
  it('3 steps: a += g², w -= lr·g/sqrt(a + ε)', () => {
    // Step 1 by hand (lr 0.1, a0 = 0.1): a1 = [0.11, 0.14, 0.19],
    // w1 = [1 - 0.01/0.331662, -2 + 0.02/0.374166, 0.5 - 0.03/0.435890] = [0.969849, -1.946548, 0.431176].
    const out = trajectory(new Adagrad({ learningRate: 0.1 }));
    expectClose(out[0]!, [0.969849, -1.946548, 0.431176], 2e-6);
    const w = [...W0];
    const a = [0.1, 0.1, 0.1];
    const expected = GRADS.map((g) => {
      for (let i = 0; i < 3; i++) {
        a[i] = a[i]! + g[i]! ** 2;
        w[i] = w[i]! - (0.1 * g[i]!) / Math.sqrt(a[i]! + 1e-7);
      }
      return [...w];
    });
    expectTrajectory(out, expected);
  });

  it('initialAccumulatorValue 0 still divides safely thanks to ε', () => {
    // Step 1: a1 = g², w1 = w0 - 0.1·g/sqrt(g² + 1e-7) ≈ w0 - 0.1·sign(g): [0.900005, -1.900001, 0.400001].
    const out = trajectory(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0 }), [GRADS[0]!]);
    const expected = W0.map((w, i) => w - (0.1 * GRADS[0]![i]!) / Math.sqrt(GRADS[0]![i]! ** 2 + 1e-7));
    expectClose(out[0]!, expected);
  });
});

describe('Adagrad update in the storage precision', () => {
  it('float32 storage in float32, float64 in float64', () => {
    // One element with history (float32 values) where the two precisions differ: w 0.5, g 0.3, a 0.1.
    const [w, g, a] = [0.5, 0.3, 0.1].map(Math.fround) as [number, number, number];
    const c = { lr: 0.01, epsilon: 1e-7 };
    expectStoragePrecision('adagrad', [w, g, a], c, (r) => {
      const [lr, eps] = [r(c.lr), r(c.epsilon)];
      const a1 = r(a + r(g * g));
      return [r(w - r(r(lr * g) / r(Math.sqrt(r(a1 + eps))))), a1];
    });
  });
});
