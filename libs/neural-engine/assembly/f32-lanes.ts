/*
 * Float32 arithmetic on f32 data, four lanes at a time, for kernels bitwise equal to a TypeScript twin that rounds
 * every operation to float32 (Math.fround after each one: for +, −, ×, ÷ and √ of float32 operands that is the
 * correctly rounded float32 result, so the same bits as the f32x4 instruction). A step is written once: four elements
 * with `quad`, else one in lane 0 (a range's last 1–3 elements), the other lanes zero; lanes never mix, so an element
 * gets the same bits wherever a range split puts it. The names end in 4 so they read beside f64-lanes' ones.
 */

/** f32 at `p`: four lanes with `quad`, else one in lane 0. */
// @ts-ignore: decorator
@inline export function ld4(p: usize, quad: bool): v128 {
  return quad ? v128.load(p) : v128.load32_zero(p);
}

/** Stores the lanes (four with `quad`, else lane 0) at `p`; returns them (already f32: what a read back gives). */
// @ts-ignore: decorator
@inline export function put4(p: usize, x: v128, quad: bool): v128 {
  if (quad) v128.store(p, x);
  else v128.store32_lane(p, x, 0);
  return x;
}

// Short names for the f32x4 operations, so each step reads like its JS loop; sqrt is correctly rounded like Math.sqrt.
// @ts-ignore: decorator
@inline export function splat4(x: f32): v128 { return f32x4.splat(x); }
// @ts-ignore: decorator
@inline export function add4(a: v128, b: v128): v128 { return f32x4.add(a, b); }
// @ts-ignore: decorator
@inline export function sub4(a: v128, b: v128): v128 { return f32x4.sub(a, b); }
// @ts-ignore: decorator
@inline export function mul4(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
// @ts-ignore: decorator
@inline export function div4(a: v128, b: v128): v128 { return f32x4.div(a, b); }
// @ts-ignore: decorator
@inline export function sqrt4(a: v128): v128 { return f32x4.sqrt(a); }

/**
 * x with its subnormal lanes flushed to zero of the same sign (NaN and infinities kept): what a slot stores, so that no
 * later step computes on a subnormal. x86 takes a slow path for subnormal operands and results (Adam with a moment
 * decaying through them ran 3× slower), and TensorFlow flushes them on the CPU anyway. A lane is zero or subnormal
 * exactly when its exponent bits are all zero; those lanes keep only their sign bit.
 */
// @ts-ignore: decorator
@inline export function flush4(x: v128): v128 {
  const tiny = i32x4.eq(v128.and(x, i32x4.splat(0x7f800000)), i32x4.splat(0));
  return v128.andnot(x, v128.and(tiny, i32x4.splat(0x7fffffff)));
}

/** put4 of a slot's new value, flushed (flush4); returns what is stored. */
// @ts-ignore: decorator
@inline export function keep4(p: usize, x: v128, quad: bool): v128 {
  return put4(p, flush4(x), quad);
}
