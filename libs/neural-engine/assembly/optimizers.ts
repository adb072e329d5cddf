/*
 * Fused optimizer updates: one pass over a parameter tensor and its slots instead of one per formula term. Each rule
 * performs the float operations of its TypeScript twin (src/kernels/optimizer-updates.ts) in the same order, so
 * results are bitwise equal to the JS backend's and every element is computed the same way whatever the range.
 *
 * In f32, four lanes at a time: Adam, RMSprop, Adagrad, Adamax, Nadam, Adadelta. As Keras and TF.js compute for float32
 * variables and as their JS loops do for Float32Array storage (every operation rounded to float32); f32x4 division and
 * square root have about three times the throughput of f64x2 ones, which were most of these kernels' time. Their slots
 * store subnormal values as zero (keep4): a moment decaying through the subnormals (a weight whose input is always 0)
 * made every later step take x86's slow path for them, 3× the time, and TensorFlow flushes them on the CPU as well.
 *
 * SGD (plain, momentum, Nesterov) and Lion compute in f64, two lanes at a time, rounding to f32 exactly where the JS
 * stores into a Float32Array (and going on with the rounded value, as the JS reads the slot back): their JS loops are
 * the optimizers' former float64 loops, and without a division or a square root f64 lanes cost them little.
 *
 * A rule's step is written once: full lanes with 8- or 16-byte loads and stores, a range's last elements one at a time
 * in lane 0 (lanes never mix, so their bits are the same).
 */

import { add4, div4, keep4, ld4, mul4, put4, splat4, sqrt4, sub4 } from './f32-lanes';
import { add, ld, mul, put, splat, sub } from './f64-lanes';

// Rule codes: the index of each rule in OPTIMIZER_RULES (src/kernels/optimizer-updates.ts).
const ADAM = 0;
const SGD = 1;
const SGD_MOMENTUM = 2;
const SGD_NESTEROV = 3;
const RMSPROP = 4;
const ADAGRAD = 5;
const ADAMAX = 6;
const NADAM = 7;
const ADADELTA = 8;
const LION = 9;

/**
 * One step of `rule` on elements [i0, i1) of w from the gradient g, with the rule's slots s0..s2 (0 for an absent
 * optional one) and its per-step scalars c0..c7 in OPTIMIZER_RULES order (unused ones are ignored).
 */
export function optimizerUpdate(
  rule: i32, w: usize, g: usize, s0: usize, s1: usize, s2: usize,
  c0: f64, c1: f64, c2: f64, c3: f64, c4: f64, c5: f64, c6: f64, c7: f64,
  i0: i32, i1: i32,
): void {
  switch (rule) {
    case ADAM: adam(w, g, s0, s1, s2, c0, c1, c2, c3, i0, i1); break;
    case SGD: sgd(w, g, c0, i0, i1); break;
    case SGD_MOMENTUM: sgdMomentum(w, g, s0, c0, c1, false, i0, i1); break;
    case SGD_NESTEROV: sgdMomentum(w, g, s0, c0, c1, true, i0, i1); break;
    case RMSPROP: rmsprop(w, g, s0, s1, s2, c0, c1, c2, c3, i0, i1); break;
    case ADAGRAD: adagrad(w, g, s0, c0, c1, i0, i1); break;
    case ADAMAX: adamax(w, g, s0, s1, c0, c1, c2, c3, c4, i0, i1); break;
    case NADAM: nadam(w, g, s0, s1, c0, c1, c2, c3, c4, c5, c6, c7, i0, i1); break;
    case ADADELTA: adadelta(w, g, s0, s1, c0, c1, c2, i0, i1); break;
    case LION: lion(w, g, s0, c0, c1, c2, i0, i1); break;
    default: unreachable();
  }
}

/**
 * Adam (AMSGrad with vHat) in f32, Keras's operations in the variable's precision: the coefficients rounded to f32
 * once, then m += (g - m)·(1 - β1), v += (g² - v)·(1 - β2), vHat = max(vHat, v), w -= (m·alpha) / (sqrt(v or vHat) + ε).
 */
function adam(w: usize, g: usize, m: usize, v: usize, vHat: usize, alpha: f64, beta1: f64, beta2: f64, epsilon: f64, i0: i32, i1: i32): void {
  const a = splat4(<f32>alpha);
  const c1 = splat4(<f32>(1 - beta1));
  const c2 = splat4(<f32>(1 - beta2));
  const eps = splat4(<f32>epsilon);
  const nan = defaultNaN4(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) adamAt(<usize>i << 2, true, w, g, m, v, vHat, a, c1, c2, eps, nan);
  for (; i < i1; i++) adamAt(<usize>i << 2, false, w, g, m, v, vHat, a, c1, c2, eps, nan);
}

// @ts-ignore: decorator
@inline function adamAt(o: usize, quad: bool, w: usize, g: usize, m: usize, v: usize, vHat: usize, a: v128, c1: v128, c2: v128, eps: v128, nan: v128): void {
  const gi = ld4(g + o, quad);
  const mi = moment4(m + o, gi, c1, quad);
  let vi = moment4(v + o, mul4(gi, gi), c2, quad);
  if (vHat) vi = keep4(vHat + o, max4(ld4(vHat + o, quad), vi, nan), quad);
  put4(w + o, sub4(ld4(w + o, quad), div4(mul4(mi, a), add4(sqrt4(vi), eps))), quad);
}

function sgd(w: usize, g: usize, lr: f64, i0: i32, i1: i32): void {
  const l = splat(lr);
  let i = i0;
  for (; i + 2 <= i1; i += 2) sgdAt(<usize>i << 2, true, w, g, l);
  if (i < i1) sgdAt(<usize>i << 2, false, w, g, l);
}

// @ts-ignore: decorator
@inline function sgdAt(o: usize, pair: bool, w: usize, g: usize, lr: v128): void {
  put(w + o, sub(ld(w + o, pair), mul(ld(g + o, pair), lr)), pair);
}

function sgdMomentum(w: usize, g: usize, velocity: usize, lr: f64, momentum: f64, nesterov: bool, i0: i32, i1: i32): void {
  const l = splat(lr);
  const mu = splat(momentum);
  let i = i0;
  for (; i + 2 <= i1; i += 2) sgdMomentumAt(<usize>i << 2, true, w, g, velocity, l, mu, nesterov);
  if (i < i1) sgdMomentumAt(<usize>i << 2, false, w, g, velocity, l, mu, nesterov);
}

// @ts-ignore: decorator
@inline function sgdMomentumAt(o: usize, pair: bool, w: usize, g: usize, velocity: usize, lr: v128, mu: v128, nesterov: bool): void {
  const gi = ld(g + o, pair);
  const vel = put(velocity + o, sub(mul(ld(velocity + o, pair), mu), mul(gi, lr)), pair);
  put(w + o, add(ld(w + o, pair), nesterov ? sub(mul(vel, mu), mul(gi, lr)) : vel), pair);
}

/** RMSprop in f32: lr, ρ, 1 - ρ, momentum and ε rounded to f32 once, every operation an f32 one. */
function rmsprop(w: usize, g: usize, velocity: usize, momentum: usize, average: usize, lr: f64, rho: f64, mu: f64, epsilon: f64, i0: i32, i1: i32): void {
  const l = splat4(<f32>lr);
  const r = splat4(<f32>rho);
  const c = splat4(<f32>(1 - rho));
  const m = splat4(<f32>mu);
  const eps = splat4(<f32>epsilon);
  let i = i0;
  for (; i + 4 <= i1; i += 4) rmspropAt(<usize>i << 2, true, w, g, velocity, momentum, average, l, r, c, m, eps);
  for (; i < i1; i++) rmspropAt(<usize>i << 2, false, w, g, velocity, momentum, average, l, r, c, m, eps);
}

/** `c` = 1 - ρ; `momentum` and `average` may be 0 (no momentum, not centered). */
// @ts-ignore: decorator
@inline function rmspropAt(
  o: usize, quad: bool, w: usize, g: usize, velocity: usize, momentum: usize, average: usize,
  lr: v128, rho: v128, c: v128, mu: v128, eps: v128,
): void {
  const gi = ld4(g + o, quad);
  const vel = keep4(velocity + o, add4(mul4(rho, ld4(velocity + o, quad)), mul4(mul4(c, gi), gi)), quad);
  let denominator = add4(vel, eps);
  if (average) {
    const avg = keep4(average + o, add4(mul4(rho, ld4(average + o, quad)), mul4(c, gi)), quad);
    denominator = add4(sub4(vel, mul4(avg, avg)), eps);
  }
  let increment = div4(mul4(lr, gi), sqrt4(denominator));
  if (momentum) increment = keep4(momentum + o, add4(mul4(mu, ld4(momentum + o, quad)), increment), quad);
  put4(w + o, sub4(ld4(w + o, quad), increment), quad);
}

/** Adagrad in f32: lr and ε rounded to f32 once, every operation an f32 one. */
function adagrad(w: usize, g: usize, acc: usize, lr: f64, epsilon: f64, i0: i32, i1: i32): void {
  const l = splat4(<f32>lr);
  const eps = splat4(<f32>epsilon);
  let i = i0;
  for (; i + 4 <= i1; i += 4) adagradAt(<usize>i << 2, true, w, g, acc, l, eps);
  for (; i < i1; i++) adagradAt(<usize>i << 2, false, w, g, acc, l, eps);
}

// @ts-ignore: decorator
@inline function adagradAt(o: usize, quad: bool, w: usize, g: usize, acc: usize, lr: v128, eps: v128): void {
  const gi = ld4(g + o, quad);
  const a = keep4(acc + o, add4(ld4(acc + o, quad), mul4(gi, gi)), quad);
  put4(w + o, sub4(ld4(w + o, quad), div4(mul4(lr, gi), sqrt4(add4(a, eps)))), quad);
}

/** Adamax in f32: lr, 1 - β1, β2, ε and the correction rounded to f32 once, every operation an f32 one. */
function adamax(w: usize, g: usize, m: usize, u: usize, lr: f64, beta1: f64, beta2: f64, epsilon: f64, correction: f64, i0: i32, i1: i32): void {
  const l = splat4(<f32>lr);
  const c1 = splat4(<f32>(1 - beta1));
  const b2 = splat4(<f32>beta2);
  const eps = splat4(<f32>epsilon);
  const k = splat4(<f32>correction);
  const nan = defaultNaN4(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) adamaxAt(<usize>i << 2, true, w, g, m, u, l, c1, b2, eps, k, nan);
  for (; i < i1; i++) adamaxAt(<usize>i << 2, false, w, g, m, u, l, c1, b2, eps, k, nan);
}

// @ts-ignore: decorator
@inline function adamaxAt(o: usize, quad: bool, w: usize, g: usize, m: usize, u: usize, lr: v128, c1: v128, b2: v128, eps: v128, correction: v128, nan: v128): void {
  const gi = ld4(g + o, quad);
  const mi = moment4(m + o, gi, c1, quad);
  const ui = keep4(u + o, max4(mul4(b2, ld4(u + o, quad)), f32x4.abs(gi), nan), quad);
  put4(w + o, sub4(ld4(w + o, quad), div4(mul4(lr, mi), mul4(correction, add4(ui, eps)))), quad);
}

/** Nadam in f32: each scalar, and each subterm the JS computes from scalars alone, rounded to f32 once. */
function nadam(
  w: usize, g: usize, m: usize, v: usize,
  lr: f64, beta1: f64, beta2: f64, epsilon: f64, uT: f64, uNext: f64, productT: f64, beta2Power: f64,
  i0: i32, i1: i32,
): void {
  const l = splat4(<f32>lr);
  const c1 = splat4(<f32>(1 - beta1));
  const c2 = splat4(<f32>(1 - beta2));
  const eps = splat4(<f32>epsilon);
  const un = splat4(<f32>uNext);
  const dn = splat4(<f32>(1 - productT * uNext));
  const cg = splat4(<f32>(1 - uT));
  const dt = splat4(<f32>(1 - productT));
  const dv = splat4(<f32>(1 - beta2Power));
  let i = i0;
  for (; i + 4 <= i1; i += 4) nadamAt(<usize>i << 2, true, w, g, m, v, l, c1, c2, eps, un, dn, cg, dt, dv);
  for (; i < i1; i++) nadamAt(<usize>i << 2, false, w, g, m, v, l, c1, c2, eps, un, dn, cg, dt, dv);
}

/** m̂ = uNext·m/dn + cg·g/dt, v̂ = v/dv with dn = 1 - Πμ·μ_{t+1}, cg = 1 - μ_t, dt = 1 - Πμ, dv = 1 - β2^t. */
// @ts-ignore: decorator
@inline function nadamAt(
  o: usize, quad: bool, w: usize, g: usize, m: usize, v: usize,
  lr: v128, c1: v128, c2: v128, eps: v128, uNext: v128, dn: v128, cg: v128, dt: v128, dv: v128,
): void {
  const gi = ld4(g + o, quad);
  const mi = moment4(m + o, gi, c1, quad);
  const vi = moment4(v + o, mul4(gi, gi), c2, quad);
  const mHat = add4(div4(mul4(uNext, mi), dn), div4(mul4(cg, gi), dt));
  const vHat = div4(vi, dv);
  put4(w + o, sub4(ld4(w + o, quad), div4(mul4(mHat, lr), add4(sqrt4(vHat), eps))), quad);
}

/** Adadelta in f32: lr, ρ, 1 - ρ and ε rounded to f32 once, every operation an f32 one. */
function adadelta(w: usize, g: usize, accGrad: usize, accDelta: usize, lr: f64, rho: f64, epsilon: f64, i0: i32, i1: i32): void {
  const l = splat4(<f32>lr);
  const r = splat4(<f32>rho);
  const c = splat4(<f32>(1 - rho));
  const eps = splat4(<f32>epsilon);
  let i = i0;
  for (; i + 4 <= i1; i += 4) adadeltaAt(<usize>i << 2, true, w, g, accGrad, accDelta, l, r, c, eps);
  for (; i < i1; i++) adadeltaAt(<usize>i << 2, false, w, g, accGrad, accDelta, l, r, c, eps);
}

/** `c` = 1 - ρ; Δ = (-(sqrt(E[Δ²] + ε)·g)) / sqrt(E[g²] + ε), negated before the division as in the JS. */
// @ts-ignore: decorator
@inline function adadeltaAt(o: usize, quad: bool, w: usize, g: usize, accGrad: usize, accDelta: usize, lr: v128, rho: v128, c: v128, eps: v128): void {
  const gi = ld4(g + o, quad);
  const ag = keep4(accGrad + o, add4(mul4(rho, ld4(accGrad + o, quad)), mul4(mul4(c, gi), gi)), quad);
  const ad = ld4(accDelta + o, quad);
  const delta = div4(f32x4.neg(mul4(sqrt4(add4(ad, eps)), gi)), sqrt4(add4(ag, eps)));
  keep4(accDelta + o, add4(mul4(rho, ad), mul4(mul4(c, delta), delta)), quad);
  put4(w + o, add4(ld4(w + o, quad), mul4(lr, delta)), quad);
}

function lion(w: usize, g: usize, m: usize, lr: f64, beta1: f64, beta2: f64, i0: i32, i1: i32): void {
  const l = splat(lr);
  const b1 = splat(beta1);
  const c1 = splat(1 - beta1);
  const b2 = splat(beta2);
  const c2 = splat(1 - beta2);
  let i = i0;
  for (; i + 2 <= i1; i += 2) lionAt(<usize>i << 2, true, w, g, m, l, b1, c1, b2, c2);
  if (i < i1) lionAt(<usize>i << 2, false, w, g, m, l, b1, c1, b2, c2);
}

// @ts-ignore: decorator
@inline function lionAt(o: usize, pair: bool, w: usize, g: usize, m: usize, lr: v128, b1: v128, c1: v128, b2: v128, c2: v128): void {
  const gi = ld(g + o, pair);
  const mo = ld(m + o, pair);
  put(w + o, sub(ld(w + o, pair), mul(lr, sign(add(mul(mo, b1), mul(gi, c1))))), pair);
  put(m + o, add(mul(mo, b2), mul(gi, c2)), pair);
}

/** Math.sign lane by lane: ±1 where x > 0 or x < 0, else x itself (±0 and NaN, which no comparison holds for). */
// @ts-ignore: decorator
@inline function sign(x: v128): v128 {
  const zero = f64x2.splat(0);
  const positive = v128.bitselect(f64x2.splat(1), x, f64x2.gt(x, zero));
  return v128.bitselect(f64x2.splat(-1), positive, f64x2.lt(x, zero));
}

/** The moment estimate at `p` moved towards x: s + (x - s)·c (c = 1 - β) in f32, stored flushed; returns it. */
// @ts-ignore: decorator
@inline function moment4(p: usize, x: v128, c: v128, quad: bool): v128 {
  const s = ld4(p, quad);
  return keep4(p, add4(s, mul4(sub4(x, s), c)), quad);
}

/**
 * Math.max lane by lane, NaN bits included, as the JS float32 loops store it. f32x4.max already agrees on numbers
 * (max(-0, +0) = +0) and gives NaN when either lane is NaN, but a canonical NaN of either sign, while V8's Math.max
 * answers any NaN operand with the machine's default NaN (on x64 0xFFF8…, the result of 0/0), which a Float32Array
 * stores as the f32 default NaN (0xFFC0…, the result of f32 0/0): `nan`, from defaultNaN4.
 */
// @ts-ignore: decorator
@inline function max4(a: v128, b: v128, nan: v128): v128 {
  const m = f32x4.max(a, b);
  return v128.bitselect(nan, m, f32x4.ne(m, m));
}

/**
 * f32 0/0 computed at run time, so it is the machine's default NaN (binaryen would fold a constant 0/0 into a canonical
 * one). `x` is any splatted scalar: x - x is 0 for a finite x (and NaN anyway otherwise).
 */
// @ts-ignore: decorator
@inline function defaultNaN4(x: v128): v128 {
  const zero = f32x4.sub(x, x);
  return f32x4.div(zero, zero);
}
