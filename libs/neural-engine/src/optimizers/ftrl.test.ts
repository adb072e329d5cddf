import { describe, expect, it } from 'vitest';
import { Ftrl } from './ftrl.js';
import { GRADS, W0, expectClose, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

/**
 * Keras 3 Ftrl per element, with p = -learningRatePower:
 *   n' = n + g²;  z += g + 2·λs·w - (n'^p - n^p)/lr · w;  w = (clip(z, -λ1, λ1) - z)/(n'^p/lr + 2(λ2 + β/(2lr)));  n = n'
 */
function reference(lr: number, { power = -0.5, n0 = 0.1, l1 = 0, l2 = 0, shrink = 0, beta = 0 } = {}): number[][] {
  const w = [...W0];
  const n = [n0, n0, n0];
  const z = [0, 0, 0];
  return GRADS.map((g) => {
    for (let i = 0; i < 3; i++) {
      const nNew = n[i]! + g[i]! ** 2;
      z[i] = z[i]! + g[i]! + 2 * shrink * w[i]! - ((nNew ** -power - n[i]! ** -power) / lr) * w[i]!;
      const clipped = Math.min(Math.max(z[i]!, -l1), l1);
      w[i] = (clipped - z[i]!) / (nNew ** -power / lr + 2 * (l2 + beta / (2 * lr)));
      n[i] = nNew;
    }
    return [...w];
  });
}

describe('Ftrl', () => {
  it('defaults: 3 steps', () => {
    // Step 1 by hand, element 0 (lr 0.1): n' = 0.1 + 0.01 = 0.11, sqrt(n') - sqrt(0.1) = 0.3316625 - 0.3162278 = 0.0154347,
    // z = 0.1 - 0.154347·1 = -0.054347, w = (0 - z)/(0.3316625/0.1) = 0.054347/3.316625 = 0.0163863.
    const out = trajectory(new Ftrl({ learningRate: 0.1 }));
    expectClose([out[0]![0]!], [0.0163863], 1e-5);
    expectTrajectory(out, reference(0.1));
  });

  it('l1, l2, shrinkage, beta and learningRatePower -1: 3 steps, L1 zeroes small coordinates', () => {
    const args = { l1: 0.05, l2: 0.01, shrink: 0.02, beta: 0.5, power: -1 };
    const out = trajectory(
      new Ftrl({
        learningRate: 0.1,
        l1RegularizationStrength: 0.05,
        l2RegularizationStrength: 0.01,
        l2ShrinkageRegularizationStrength: 0.02,
        beta: 0.5,
        learningRatePower: -1,
      }),
    );
    const expected = reference(0.1, args);
    expectTrajectory(out, expected);
    // |z| <= λ1 somewhere along the way gives an exact 0.
    expect(expected.flat().some((x) => x === 0)).toBe(true);
    expect(out.flat().filter((x) => x === 0).length).toBe(expected.flat().filter((x) => x === 0).length);
  });
});
