/*
 * Row-wise and element-wise helpers behind the Backend methods addRowVector, sumRows, axpyInPlace and scale: the
 * WebAssembly versions of src/kernels/rows.ts and of JsBackend's loops. Each performs the float operations of its
 * TypeScript twin (JS evaluates `t += alpha * x` and `x * s` in f64 and rounds once to f32; sumRows sums in f64), so
 * results are bitwise equal to the JS backend's, and every element is computed the same way whatever the range.
 */

/** out[r, c] = x[r, c] + v[c] for rows [r0, r1). `out` may be `x`. */
export function addRowVector(x: usize, v: usize, out: usize, cols: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const base = <usize>r * <usize>cols << 2;
    const xr = x + base;
    const or = out + base;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const at = <usize>c << 2;
      v128.store(or + at, f32x4.add(v128.load(xr + at), v128.load(v + at)));
    }
    for (; c < cols; c++) {
      const at = <usize>c << 2;
      store<f32>(or + at, load<f32>(xr + at) + load<f32>(v + at));
    }
  }
}

/** out[c] = Σ_r x[r, c] in f64 (rows ascending), rounded to f32, for columns [c0, c1): threads split columns. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32, c0: i32, c1: i32): void {
  const ldx = <usize>cols << 2;
  let c = c0;
  // Eight columns at a time in four f64x2 accumulators.
  for (; c + 8 <= c1; c += 8) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    let p = x + (<usize>c << 2);
    for (let r = 0; r < rows; r++) {
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v128.load64_zero(p)));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.load64_zero(p + 8)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v128.load64_zero(p + 16)));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.load64_zero(p + 24)));
      p += ldx;
    }
    const o = out + (<usize>c << 2);
    v128.store64_lane(o, f32x4.demote_f64x2_zero(a0), 0);
    v128.store64_lane(o + 8, f32x4.demote_f64x2_zero(a1), 0);
    v128.store64_lane(o + 16, f32x4.demote_f64x2_zero(a2), 0);
    v128.store64_lane(o + 24, f32x4.demote_f64x2_zero(a3), 0);
  }
  for (; c < c1; c++) {
    let acc: f64 = 0;
    let p = x + (<usize>c << 2);
    for (let r = 0; r < rows; r++) {
      acc += <f64>load<f32>(p);
      p += ldx;
    }
    store<f32>(out + (<usize>c << 2), <f32>acc);
  }
}

/** t[i] = f32(t[i] + alpha·x[i]) computed in f64, for i in [i0, i1). */
export function axpy(t: usize, alpha: f64, x: usize, i0: i32, i1: i32): void {
  const a = f64x2.splat(alpha);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const at = <usize>i << 2;
    const tv = f64x2.promote_low_f32x4(v128.load64_zero(t + at));
    const xv = f64x2.promote_low_f32x4(v128.load64_zero(x + at));
    v128.store64_lane(t + at, f32x4.demote_f64x2_zero(f64x2.add(tv, f64x2.mul(a, xv))), 0);
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    store<f32>(t + at, <f32>(<f64>load<f32>(t + at) + alpha * <f64>load<f32>(x + at)));
  }
}

/** out[i] = f32(x[i]·s) computed in f64, for i in [i0, i1). `out` may be `x`. */
export function scale(x: usize, s: f64, out: usize, i0: i32, i1: i32): void {
  const sv = f64x2.splat(s);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const at = <usize>i << 2;
    v128.store64_lane(out + at, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(x + at)), sv)), 0);
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, <f32>(<f64>load<f32>(x + at) * s));
  }
}

/** elementwise's operations. */
const ADD = 0;
const MULTIPLY = 1;

/**
 * out = a + b (op 0) or a·b (op 1) on elements [i0, i1), in f32: the same bits as the JS loop's float64 operation
 * rounded to f32 (the double has room for the exact sum or product's rounding, so rounding twice changes nothing).
 * `out` may be a or b.
 */
export function elementwise(op: i32, a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = <usize>i << 2;
    const x = v128.load(a + at);
    const y = v128.load(b + at);
    v128.store(out + at, op == MULTIPLY ? f32x4.mul(x, y) : f32x4.add(x, y));
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    const x = load<f32>(a + at);
    const y = load<f32>(b + at);
    store<f32>(out + at, op == MULTIPLY ? x * y : x + y);
  }
}

/**
 * x[i] = value for i in [i0, i1): a bulk memory.fill when value's bits are zero (+0), four lanes at a time otherwise.
 * JS's TypedArray fill on the shared memory stores element by element (~5× a plain buffer's memset).
 */
export function fill(x: usize, value: f32, i0: i32, i1: i32): void {
  if (i1 <= i0) return;
  if (reinterpret<i32>(value) == 0) {
    memory.fill(x + (<usize>i0 << 2), 0, <usize>(i1 - i0) << 2);
    return;
  }
  const v = f32x4.splat(value);
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(x + (<usize>i << 2), v);
  for (; i < i1; i++) store<f32>(x + (<usize>i << 2), value);
}
