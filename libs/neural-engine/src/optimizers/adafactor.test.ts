import { describe, it } from 'vitest';
import { Adafactor } from './adafactor.js';
import { GRADS, W0, expectClose, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

const rms = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

/**
 * Keras 3 Adafactor for a [rows, cols] matrix (rows = 1 and factored = false for a vector):
 *   β2 = 1 - t^-0.8, ρ = min(lr, 1/sqrt(t)), α = max(ε2, RMS(w))·ρ, G = g² + ε1;
 *   factored: r_i = β2·r_i + (1 - β2)·mean_j G_ij, c_j = β2·c_j + (1 - β2)·mean_i G_ij, v_ij = r_i/mean(r)·c_j;
 *   else v = β2·v + (1 - β2)·G;  u = g/sqrt(v), û = u/max(1, RMS(u)/clipThreshold), w -= α·û
 */
function reference(gs: number[][], w0: number[], lr: number, rows: number, cols: number, factored: boolean, clip = 1): number[][] {
  const w = [...w0];
  const r = new Array<number>(rows).fill(0);
  const c = new Array<number>(cols).fill(0);
  let v = w0.map(() => 0);
  return gs.map((g, s) => {
    const t = s + 1;
    const beta2 = 1 - t ** -0.8;
    const alpha = Math.max(1e-3, rms(w)) * Math.min(lr, 1 / Math.sqrt(t));
    const G = g.map((x) => x * x + 1e-30);
    if (factored) {
      for (let i = 0; i < rows; i++) r[i] = beta2 * r[i]! + ((1 - beta2) * G.slice(i * cols, (i + 1) * cols).reduce((a, b) => a + b, 0)) / cols;
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let i = 0; i < rows; i++) sum += G[i * cols + j]!;
        c[j] = beta2 * c[j]! + ((1 - beta2) * sum) / rows;
      }
      const rMean = r.reduce((a, b) => a + b, 0) / rows;
      v = w.map((_, k) => (r[Math.floor(k / cols)]! / rMean) * c[k % cols]!);
    } else {
      v = v.map((x, k) => beta2 * x + (1 - beta2) * G[k]!);
    }
    const u = g.map((x, k) => x / Math.sqrt(v[k]!));
    const denom = Math.max(1, rms(u) / clip);
    for (let k = 0; k < w.length; k++) w[k] = w[k]! - (alpha * u[k]!) / denom;
    return [...w];
  });
}

describe('Adafactor', () => {
  it('vector variable: 3 steps with a full second moment', () => {
    // Step 1 by hand (lr 0.1): β2 = 1 - 1 = 0 so v = g², u = sign(g) = [1, -1, 1], RMS(u) = 1 (no clipping),
    // α = RMS(w0)·min(0.1, 1) = sqrt(5.25/3)·0.1 = 0.1322876, w1 = [0.867712, -1.867712, 0.367712].
    const out = trajectory(new Adafactor({ learningRate: 0.1 }));
    expectClose(out[0]!, [0.867712, -1.867712, 0.367712], 2e-6);
    expectTrajectory(out, reference(GRADS, W0, 0.1, 1, 3, false));
  });

  it('matrix variable: 3 steps with factored row/column moments', () => {
    const w0 = [1, -2, 0.5, 0, 0.25, -1];
    const gs = [
      [0.1, -0.2, 0.3, 0.05, 0, -0.4],
      [0.4, 0, -0.5, 0.2, 0.1, 0.1],
      [-0.3, 0.2, 0.1, -0.1, 0.3, 0],
    ];
    // Step 1 by hand: β2 = 0, r = row means of g² = [(0.01 + 0.04 + 0.09)/3, (0.0025 + 0 + 0.16)/3] = [0.0466667, 0.0541667],
    // c = column means = [(0.01 + 0.0025)/2, 0.04/2, (0.09 + 0.16)/2] = [0.00625, 0.02, 0.125], mean(r) = 0.0504167,
    // v_00 = 0.0466667/0.0504167·0.00625 = 0.00578512, u_00 = 0.1/sqrt(0.00578512) = 1.314767 ...
    const out = trajectory(new Adafactor({ learningRate: 0.1 }), gs, w0, [2, 3]);
    expectTrajectory(out, reference(gs, w0, 0.1, 2, 3, true));
  });

  it('caps the step at 1/sqrt(t) and clips the update RMS at clipThreshold', () => {
    // lr 1 > 1/sqrt(t) for t >= 2, so ρ = 1/sqrt(t); clipThreshold 0.5 halves step 1 (RMS(u) = 1): w1 = w0 - 0.661438·sign(g).
    const out = trajectory(new Adafactor({ learningRate: 1, clipThreshold: 0.5 }));
    expectClose(out[0]!, [1 - 0.661438, -2 + 0.661438, 0.5 - 0.661438], 2e-6);
    expectTrajectory(out, reference(GRADS, W0, 1, 1, 3, false, 0.5));
  });
});
