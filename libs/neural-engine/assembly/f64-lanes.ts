/*
 * Float64 arithmetic on f32 data, two lanes at a time, for kernels that must be bitwise equal to a TypeScript twin
 * computing in float64 and rounding where it stores into a Float32Array (SGD and Lion, the LSTM backward step, the
 * softmax crossentropy backward): `ld` promotes, `put` rounds to f32 and returns the value as read back, and the
 * short names keep each step readable next to its JS loop.
 */

/** f32 at `p` as f64 lanes: two with `pair`, else one in lane 0 (an odd last element). */
// @ts-ignore: decorator
@inline export function ld(p: usize, pair: bool): v128 {
  return f64x2.promote_low_f32x4(pair ? v128.load64_zero(p) : v128.load32_zero(p));
}

/** Stores the lanes (two with `pair`, else lane 0) as f32 at `p`; returns them as read back: rounded to f32. */
// @ts-ignore: decorator
@inline export function put(p: usize, x: v128, pair: bool): v128 {
  const f = f32x4.demote_f64x2_zero(x);
  if (pair) v128.store64_lane(p, f, 0);
  else v128.store32_lane(p, f, 0);
  return f64x2.promote_low_f32x4(f);
}

// Short names for the f64x2 operations, so each step reads like its JS loop.
// @ts-ignore: decorator
@inline export function splat(x: f64): v128 { return f64x2.splat(x); }
// @ts-ignore: decorator
@inline export function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
// @ts-ignore: decorator
@inline export function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline export function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
