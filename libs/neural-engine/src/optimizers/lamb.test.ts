import { describe, it } from 'vitest';
import { Lamb } from './lamb.js';
import { GRADS, W0, expectClose, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

/** Keras 3 Lamb: Adam direction r = m̂/(sqrt(v̂) + ε), trust ratio ‖w‖/‖r‖ (1 if either is 0), w -= ratio·lr·r. */
function reference(gs: number[][], w0: number[], lr: number): number[][] {
  const w = [...w0];
  const m = w0.map(() => 0);
  const v = w0.map(() => 0);
  return gs.map((g, s) => {
    const t = s + 1;
    const r = w.map((_, i) => {
      m[i] = m[i]! + (g[i]! - m[i]!) * 0.1;
      v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * 0.001;
      return m[i]! / (1 - 0.9 ** t) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-7);
    });
    const wNorm = Math.hypot(...w);
    const rNorm = Math.hypot(...r);
    const ratio = wNorm > 0 && rNorm > 0 ? wNorm / rNorm : 1;
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - ratio * lr * r[i]!;
    return [...w];
  });
}

describe('Lamb', () => {
  it('3 steps with the layer-wise trust ratio', () => {
    // Step 1 by hand (lr 0.1): m̂ = g, v̂ = g², r ≈ sign(g) = [1, -1, 1], ‖w0‖ = sqrt(5.25) = 2.291288, ‖r‖ = sqrt(3) = 1.732051,
    // ratio = 1.322876, w1 ≈ w0 - 0.1322876·sign(g) = [0.867712, -1.867712, 0.367712].
    const out = trajectory(new Lamb({ learningRate: 0.1 }));
    expectClose(out[0]!, [0.867712, -1.867712, 0.367712], 2e-6);
    expectTrajectory(out, reference(GRADS, W0, 0.1));
  });

  it('uses ratio 1 for an all-zero variable', () => {
    // ‖w0‖ = 0 → ratio 1 → plain Adam-direction step: w1 ≈ -0.1·sign(g1) = [-0.1, 0.1, -0.1].
    const out = trajectory(new Lamb({ learningRate: 0.1 }), [GRADS[0]!], [0, 0, 0]);
    expectClose(out[0]!, [-0.1, 0.1, -0.1], 1e-5);
    expectTrajectory(out, reference([GRADS[0]!], [0, 0, 0], 0.1));
  });
});
