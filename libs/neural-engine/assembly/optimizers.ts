/*
 * Fused optimizer updates: one pass over a parameter tensor and its slots instead of one per formula term. Each
 * performs the float operations of its TypeScript twin (src/kernels/optimizer-updates.ts) in f64, two lanes at a
 * time, rounding to f32 exactly where the JS stores into a Float32Array, so results are bitwise equal to the JS
 * backend's and every element is computed the same way whatever the range.
 */

/** Adam on elements [i0, i1); `vHat` is 0 without AMSGrad. See adamUpdate in src/kernels/optimizer-updates.ts. */
export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, vHat: usize,
  alpha: f64, beta1: f64, beta2: f64, epsilon: f64,
  i0: i32, i1: i32,
): void {
  const c1 = f64x2.splat(1 - beta1);
  const c2 = f64x2.splat(1 - beta2);
  const a = f64x2.splat(alpha);
  const eps = f64x2.splat(epsilon);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const at = <usize>i << 2;
    const gi = promote(g + at);
    const mo = promote(m + at);
    const vo = promote(v + at);
    const mi = round(f64x2.add(mo, f64x2.mul(f64x2.sub(gi, mo), c1)));
    let vi = round(f64x2.add(vo, f64x2.mul(f64x2.sub(f64x2.mul(gi, gi), vo), c2)));
    store2(m + at, mi);
    store2(v + at, vi);
    if (vHat) {
      vi = f64x2.max(promote(vHat + at), vi);
      store2(vHat + at, vi);
    }
    const step = f64x2.div(f64x2.mul(mi, a), f64x2.add(f64x2.sqrt(vi), eps));
    store2(w + at, f64x2.sub(promote(w + at), step));
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    const gi = <f64>load<f32>(g + at);
    const mo = <f64>load<f32>(m + at);
    const vo = <f64>load<f32>(v + at);
    const mi = <f64><f32>(mo + (gi - mo) * (1 - beta1));
    let vi = <f64><f32>(vo + (gi * gi - vo) * (1 - beta2));
    store<f32>(m + at, <f32>mi);
    store<f32>(v + at, <f32>vi);
    if (vHat) {
      vi = Math.max(<f64>load<f32>(vHat + at), vi);
      store<f32>(vHat + at, <f32>vi);
    }
    store<f32>(w + at, <f32>(<f64>load<f32>(w + at) - (mi * alpha) / (Math.sqrt(vi) + epsilon)));
  }
}

/** Two f32 at `p` as f64 lanes. */
// @ts-ignore: decorator
@inline function promote(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Rounds both lanes to f32 and back: the value a Float32Array store and reload gives. */
// @ts-ignore: decorator
@inline function round(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
}

/** Stores both lanes as f32 at `p`. */
// @ts-ignore: decorator
@inline function store2(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}
