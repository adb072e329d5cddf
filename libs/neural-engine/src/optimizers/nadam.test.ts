import { describe, it } from 'vitest';
import { Nadam } from './nadam.js';
import { GRADS, W0, expectClose, expectStoragePrecision, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

describe('Nadam', () => {
  it('3 steps with the Dozat momentum schedule', () => {
    // μ_t = 0.9(1 - 0.5·0.96^t): μ1 = 0.9·0.52 = 0.468, μ2 = 0.9·(1 - 0.5·0.9216) = 0.48528; Π after step 1 = 0.468.
    // Step 1 by hand (lr 0.1): m1 = 0.1g, v1 = 0.001g², m̂ = μ2·m1/(1 - 0.468·0.48528) + (1 - μ1)·g/(1 - 0.468)
    // = 0.0485280g/0.7728890 + g = 1.0627876g, v̂ = g², w1 = w0 - 0.1·1.0627876·g/(|g| + 1e-7)
    // ≈ [0.8937213, -1.8937213, 0.3937213].
    const out = trajectory(new Nadam({ learningRate: 0.1 }));
    expectClose(out[0]!, [0.8937213, -1.8937213, 0.3937213], 2e-6);
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    const w = [...W0];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    let product = 1;
    const expected = GRADS.map((g, s) => {
      const t = s + 1;
      product *= mu(t);
      const productNext = product * mu(t + 1);
      for (let i = 0; i < 3; i++) {
        m[i] = m[i]! + (g[i]! - m[i]!) * 0.1;
        v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * 0.001;
        const mHat = (mu(t + 1) * m[i]!) / (1 - productNext) + ((1 - mu(t)) * g[i]!) / (1 - product);
        const vHat = v[i]! / (1 - 0.999 ** t);
        w[i] = w[i]! - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-7);
      }
      return [...w];
    });
    expectTrajectory(out, expected);
  });
});

describe('Nadam update in the storage precision', () => {
  it('float32 storage in float32, float64 in float64', () => {
    // One element with history (float32 values) where the two precisions differ: w 0.5, g 0.1, m 0.01, v 0.001, at
    // step 3 of the schedule.
    const [w, g, m, v] = [0.5, 0.1, 0.01, 0.001].map(Math.fround) as [number, number, number, number];
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    const c = { lr: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, uT: mu(3), uNext: mu(4), productT: mu(1) * mu(2) * mu(3), beta2Power: 0.999 ** 3 };
    expectStoragePrecision('nadam', [w, g, m, v], c, (r) => {
      const [lr, c1, c2, eps] = [r(c.lr), r(1 - c.beta1), r(1 - c.beta2), r(c.epsilon)];
      const [un, dn, cg, dt, dv] = [r(c.uNext), r(1 - c.productT * c.uNext), r(1 - c.uT), r(1 - c.productT), r(1 - c.beta2Power)];
      const m1 = r(m + r(r(g - m) * c1));
      const v1 = r(v + r(r(r(g * g) - v) * c2));
      const mHat = r(r(r(un * m1) / dn) + r(r(cg * g) / dt));
      return [r(w - r(r(mHat * lr) / r(r(Math.sqrt(r(v1 / dv))) + eps))), m1, v1];
    });
  });
});
