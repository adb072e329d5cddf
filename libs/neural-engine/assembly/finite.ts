/*
 * Whether every f32 of a range is finite: the batch check of trainOnBatch and predict (src/model/data.ts), on the
 * copy they make anyway. A float is NaN or ±Infinity exactly when its exponent bits are all ones, so the test is on
 * bits and nothing rounds: the same answer as the JS check (src/kernels/finite.ts) on the same floats.
 */

const EXPONENT: i32 = 0x7f800000;

/** 1 when every float of x[0..n) is finite, else 0. Four vectors a step, so the loads overlap. */
export function allFinite(x: usize, n: i32): i32 {
  const mask = i32x4.splat(EXPONENT);
  let bad0 = i32x4.splat(0), bad1 = i32x4.splat(0), bad2 = i32x4.splat(0), bad3 = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    bad0 = v128.or(bad0, i32x4.eq(v128.and(v128.load(p), mask), mask));
    bad1 = v128.or(bad1, i32x4.eq(v128.and(v128.load(p, 16), mask), mask));
    bad2 = v128.or(bad2, i32x4.eq(v128.and(v128.load(p, 32), mask), mask));
    bad3 = v128.or(bad3, i32x4.eq(v128.and(v128.load(p, 48), mask), mask));
  }
  let bad = v128.any_true(v128.or(v128.or(bad0, bad1), v128.or(bad2, bad3)));
  for (; i < n; i++) bad = bad || (load<i32>(x + (<usize>i << 2)) & EXPONENT) == EXPONENT;
  return bad ? 0 : 1;
}
