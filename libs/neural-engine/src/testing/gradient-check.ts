import { JsBackend } from '../backend/js-backend.js';

/*
 * Finite-difference gradient checking shared by the engine's tests: centered differences in float64 (the float64
 * backend runs the same code as the float32 one), compared with the analytic gradient by a relative error.
 */

/** The float64 backend gradient checks run on. */
export const float64Backend = new JsBackend('float64');

/** Centered finite-difference gradient of a scalar function at x: (f(x+h) - f(x-h)) / 2h per coordinate. */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const grad = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const original = probe[i]!;
    probe[i] = original + h;
    const plus = f(probe);
    probe[i] = original - h;
    const minus = f(probe);
    probe[i] = original;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/**
 * Largest relative error between two gradients, |a - b| / max(|a|, |b|, floor), where `floor` keeps near-zero
 * entries from dominating (convnetjs' check).
 */
export function maxRelativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>, floor = 1e-4): number {
  if (analytic.length !== numeric.length) throw new RangeError(`gradient lengths differ: ${analytic.length} vs ${numeric.length}`);
  let worst = 0;
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i]!;
    const n = numeric[i]!;
    const err = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  }
  return worst;
}

/** Deterministic test inputs in [-scale, scale] that always include 0 and negatives. */
export function testInputs(n: number, scale = 2, seed = 1): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 0x100000000) * 2 - 1) * scale;
  }
  if (n > 0) out[0] = 0;
  if (n > 1) out[1] = -Math.abs(out[1]!) || -0.5;
  return out;
}
