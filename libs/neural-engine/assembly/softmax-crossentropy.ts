/*
 * Categorical crossentropy differentiated through the softmax that produced its input, in one pass: the WebAssembly
 * twin of src/kernels/softmax-crossentropy.ts (which derives dL/dlogit = q·T - t). The two row sums run in f64 in
 * class order as the JS loops do; the per-class step is independent per class, so it runs two classes at a time in
 * f64x2 lanes doing the same operations. Results are bitwise equal to the JS kernel's.
 */

import { add, ld, mul, put, splat, sub } from './f64-lanes';

// Keras's epsilon() (src/losses/layout.ts): where the clip of the probabilities stops the gradient.
const EPSILON: f64 = 1e-7;

/**
 * dL/dlogits into `out` for rows [r0, r1) of probs, labels and out [rows, classes] (f32); `rowScale` holds one f64
 * per row; labels are smoothed by `labelSmoothing` as Keras does.
 */
export function softmaxCrossentropyBackward(
  probs: usize, labels: usize, rowScale: usize, out: usize, classes: i32, labelSmoothing: f64, r0: i32, r1: i32,
): void {
  const keep = 1 - labelSmoothing;
  const spread = labelSmoothing / <f64>classes;
  for (let r = r0; r < r1; r++) {
    const base = <usize>r * <usize>classes << 2;
    const p = probs + base;
    const t = labels + base;
    let sum: f64 = 0;
    for (let a = 0; a < classes; a++) sum += <f64>load<f32>(p + (<usize>a << 2));
    let passing: f64 = 0;
    for (let a = 0; a < classes; a++) {
      const at = <usize>a << 2;
      const q = <f64>load<f32>(p + at) / sum;
      if (q >= EPSILON && q <= 1 - EPSILON) passing += <f64>load<f32>(t + at) * keep + spread;
    }
    const s = splat(sum), pass = splat(passing), k = splat(keep), sp = splat(spread), scale = splat(load<f64>(rowScale + (<usize>r << 3)));
    let a = 0;
    for (; a + 2 <= classes; a += 2) classStep(p, t, out + base, <usize>a << 2, true, s, pass, k, sp, scale);
    if (a < classes) classStep(p, t, out + base, <usize>a << 2, false, s, pass, k, sp, scale);
  }
}

/** The per-class step for two classes (or one, in lane 0) at byte offset `at`: out = (q·passing - t)·scale. */
// @ts-ignore: decorator
@inline function classStep(p: usize, t: usize, out: usize, at: usize, pair: bool, sum: v128, passing: v128, keep: v128, spread: v128, scale: v128): void {
  const q = f64x2.div(ld(p + at, pair), sum);
  const passes = v128.and(f64x2.ge(q, splat(EPSILON)), f64x2.le(q, splat(1 - EPSILON)));
  const target = v128.and(add(mul(ld(t + at, pair), keep), spread), passes);
  put(out + at, mul(sub(mul(q, passing), target), scale), pair);
}
