import { describe, it } from 'vitest';
import { RMSprop } from './rmsprop.js';
import { GRADS, W0, expectClose, expectStoragePrecision, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

/**
 * Keras 3 RMSprop per element: s = ρs + (1 - ρ)g²; centered: ḡ = ρḡ + (1 - ρ)g, d = s - ḡ² + ε, else d = s + ε;
 * Δ = lr·g/sqrt(d); with momentum: mom = μ·mom + Δ, w -= mom; else w -= Δ.
 */
function reference(lr: number, { rho = 0.9, mu = 0, eps = 1e-7, centered = false } = {}): number[][] {
  const w = [...W0];
  const s = [0, 0, 0];
  const avg = [0, 0, 0];
  const mom = [0, 0, 0];
  return GRADS.map((g) => {
    for (let i = 0; i < 3; i++) {
      s[i] = rho * s[i]! + (1 - rho) * g[i]! ** 2;
      avg[i] = rho * avg[i]! + (1 - rho) * g[i]!;
      const d = centered ? s[i]! - avg[i]! ** 2 + eps : s[i]! + eps;
      const delta = (lr * g[i]!) / Math.sqrt(d);
      mom[i] = mu * mom[i]! + delta;
      w[i] = w[i]! - (mu > 0 ? mom[i]! : delta);
    }
    return [...w];
  });
}

describe('RMSprop', () => {
  it('plain: 3 steps', () => {
    // Step 1 by hand: s1 = 0.1·g1² = [0.001, 0.004, 0.009], Δ = 0.01·g/sqrt(s1 + 1e-7) ≈ 0.01·sign(g)/sqrt(0.1)
    // = ±0.0316228, so w1 ≈ [0.968377, -1.968377, 0.468377].
    const out = trajectory(new RMSprop({ learningRate: 0.01 }));
    expectClose(out[0]!, [0.968377, -1.968377, 0.468377], 2e-5);
    expectTrajectory(out, reference(0.01));
  });

  it('momentum 0.5: 3 steps', () => {
    expectTrajectory(trajectory(new RMSprop({ learningRate: 0.01, momentum: 0.5 })), reference(0.01, { mu: 0.5 }));
  });

  it('centered: 3 steps (divides by the variance estimate s - ḡ²)', () => {
    // Step 1 by hand: s1 - ḡ1² = 0.1g² - 0.01g² = 0.09g², Δ ≈ 0.01·sign(g)/0.3 = ±0.0333333: w1 ≈ [0.966667, -1.966667, 0.466667].
    const out = trajectory(new RMSprop({ learningRate: 0.01, centered: true }));
    expectClose(out[0]!, [0.966667, -1.966667, 0.466667], 2e-5);
    expectTrajectory(out, reference(0.01, { centered: true }));
  });

  it('centered with momentum: 3 steps', () => {
    expectTrajectory(trajectory(new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.9 })), reference(0.01, { centered: true, mu: 0.9 }));
  });
});

describe('RMSprop update in the storage precision', () => {
  // One element with history (float32 values) where every variant's two precisions differ: w 0.5, g 0.5, s 0.1,
  // mom 0.02, ḡ 0.03.
  const [w, g, s, mom, avg] = [0.5, 0.5, 0.1, 0.02, 0.03].map(Math.fround) as [number, number, number, number, number];
  const c = { lr: 0.001, rho: 0.9, momentum: 0.8, epsilon: 1e-7 };

  it.each([[false, false], [true, false], [false, true], [true, true]])('float32 storage in float32, float64 in float64 (momentum %s, centered %s)', (withMomentum, centered) => {
    expectStoragePrecision('rmsprop', [w, g, s, withMomentum ? mom : null, centered ? avg : null], c, (r) => {
      const [lr, rho, k, mu, eps] = [r(c.lr), r(c.rho), r(1 - c.rho), r(c.momentum), r(c.epsilon)];
      const s1 = r(r(rho * s) + r(r(k * g) * g));
      const avg1 = r(r(rho * avg) + r(k * g));
      const increment = r(r(lr * g) / r(Math.sqrt(centered ? r(r(s1 - r(avg1 * avg1)) + eps) : r(s1 + eps))));
      const mom1 = r(r(mu * mom) + increment);
      return [r(w - (withMomentum ? mom1 : increment)), s1, ...(withMomentum ? [mom1] : []), ...(centered ? [avg1] : [])];
    });
  });
});
