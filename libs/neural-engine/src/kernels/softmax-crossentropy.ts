import { EPSILON } from '../losses/layout.js';
import type { FloatArray } from '../tensor.js';

/*
 * Categorical crossentropy on a softmax output, differentiated through the softmax in one pass.
 *
 * The loss is Keras's from probabilities (losses/categorical-crossentropy.ts): q = p / Σp, clipped to [ε, 1 - ε],
 * value -Σ t·log(clip(q)) with t the (label-smoothed) targets. Chained by hand, dL/dq_a = -t_a/q_a where the clip
 * passes (0 where it clips), then through the normalization and through the softmax's Jacobian p_a(δ_ab - p_b); with
 * T = Σ t_a over the classes the clip passes, every term but two cancels (because Σq = 1):
 *
 *   dL/dlogit_a = q_a·T - (clip passes at a ? t_a : 0)
 *
 * which is softmax - labels when no class is clipped. It is the same function as the chain of the three backward
 * passes, computed without their intermediate tensors and with fewer roundings. Every operation is in float64, in the
 * order written here, so the WebAssembly twin (assembly/softmax-crossentropy.ts) gives the same bits.
 */

/**
 * dL/dlogits [rows, classes] into `out` for rows [r0, r1): `probs` is the softmax output, `labels` the targets (both
 * [rows, classes]), smoothed as Keras does (t·(1 - s) + s/classes), each row scaled by rowScale[r] (d(loss)/d(row
 * value): sample weights and the reduction).
 */
export function softmaxCrossentropyBackward(
  probs: FloatArray, labels: FloatArray, classes: number, labelSmoothing: number, rowScale: ArrayLike<number>,
  out: FloatArray, r0: number, r1: number,
): void {
  const keep = 1 - labelSmoothing;
  const spread = labelSmoothing / classes;
  for (let r = r0; r < r1; r++) {
    const base = r * classes;
    let sum = 0;
    for (let a = 0; a < classes; a++) sum += probs[base + a]!;
    let passing = 0;
    for (let a = 0; a < classes; a++) {
      const q = probs[base + a]! / sum;
      if (q >= EPSILON && q <= 1 - EPSILON) passing += labels[base + a]! * keep + spread;
    }
    const scale = rowScale[r]!;
    for (let a = 0; a < classes; a++) {
      const q = probs[base + a]! / sum;
      const t = q >= EPSILON && q <= 1 - EPSILON ? labels[base + a]! * keep + spread : 0;
      out[base + a] = (q * passing - t) * scale;
    }
  }
}
