import type { FloatArray } from '../tensor.js';

/*
 * Fused optimizer updates over a range of elements: one pass over a parameter tensor and its slots. They are the
 * reference the WebAssembly twins (assembly/optimizers.ts) match bit for bit.
 *
 * In the storage precision: Adam, RMSprop, Adagrad, Adamax, Nadam, Adadelta. They compute as Keras and TF.js do (which
 * cast the coefficients to the variable's dtype): for Float32Array storage every operation is rounded to float32 right
 * after it (Math.fround, or the store), the coefficients once per call. That is exactly the f32 operation (for +, −, ×,
 * ÷ and √ of float32 operands the float64 result rounded to float32 is the correctly rounded float32 one), so the wasm
 * kernels can run four f32 lanes instead of two f64 ones, whose division and square root were most of their time. For
 * Float64Array storage (JsBackend('float64')) they compute in float64. Each keeps its former order of operations.
 * Their float32 slots store subnormal values as zero (slot32).
 *
 * SGD (plain, momentum, Nesterov) and Lion are still the optimizers' former loops verbatim, whatever the storage: every
 * term in float64, in the same order, rounded only where it is stored (and a slot read back after its store reads the
 * rounded value); their wasm twins compute in f64, two lanes at a time, to match. They have no division or square
 * root, so f64 lanes cost them little, and their results stay as they were.
 */

/**
 * Every rule: its slots in order (a trailing `?` marks one that may be null, selecting a variant) and its per-step
 * scalars in the order the kernel takes them as c0, c1, …; a rule's code is its index in this table. Scalars that
 * depend on the step (bias corrections, Nadam's momentum schedule) are computed once per step by the optimizer.
 */
export const OPTIMIZER_RULES = {
  adam: { slots: ['m', 'v', 'vHat?'], coefficients: ['alpha', 'beta1', 'beta2', 'epsilon'] },
  sgd: { slots: [], coefficients: ['lr'] },
  sgdMomentum: { slots: ['velocity'], coefficients: ['lr', 'momentum'] },
  sgdNesterov: { slots: ['velocity'], coefficients: ['lr', 'momentum'] },
  rmsprop: { slots: ['velocity', 'momentum?', 'average?'], coefficients: ['lr', 'rho', 'momentum', 'epsilon'] },
  adagrad: { slots: ['accumulator'], coefficients: ['lr', 'epsilon'] },
  adamax: { slots: ['m', 'u'], coefficients: ['lr', 'beta1', 'beta2', 'epsilon', 'correction'] },
  nadam: { slots: ['m', 'v'], coefficients: ['lr', 'beta1', 'beta2', 'epsilon', 'uT', 'uNext', 'productT', 'beta2Power'] },
  adadelta: { slots: ['accGrad', 'accDelta'], coefficients: ['lr', 'rho', 'epsilon'] },
  lion: { slots: ['m'], coefficients: ['lr', 'beta1', 'beta2'] },
} as const satisfies Record<string, { slots: readonly string[]; coefficients: readonly string[] }>;

export type OptimizerRule = keyof typeof OPTIMIZER_RULES;
/** A rule's per-step scalars by name (for a union of rules, any one rule's). */
export type UpdateCoefficients<R extends OptimizerRule> = R extends OptimizerRule
  ? { readonly [K in (typeof OPTIMIZER_RULES)[R]['coefficients'][number]]: number }
  : never;
/** The per-step scalars of Adam: alpha = lr·sqrt(1 - β2^t)/(1 - β1^t), computed once per step by the optimizer. */
export type AdamCoefficients = UpdateCoefficients<'adam'>;
/** A rule's slots in its order; an optional one may be null or missing. */
export type Slots<T> = readonly (T | null | undefined)[];

type Update<R extends OptimizerRule> = (w: FloatArray, g: FloatArray, s: Slots<FloatArray>, c: UpdateCoefficients<R>, start: number, end: number) => void;

const { fround } = Math;

/** The smallest normal float32, 2^-126. */
const MIN_NORMAL_F32 = 1.1754943508222875e-38;

/**
 * A float32 slot's new value as it is stored: subnormal values flushed to zero of the same sign (NaN and infinities
 * kept), as the wasm kernels' keep4 does. Computing on subnormals takes x86's slow path (Adam ran 3× slower once a
 * moment decayed into them), and TensorFlow flushes them on the CPU too.
 */
const slot32 = (x: number): number => (Math.abs(x) < MIN_NORMAL_F32 ? x * 0 : x);

/** `f32` for float32 storage, else `f64`: each precision its own loop, so V8 compiles each for one array type. */
const byPrecision = <R extends OptimizerRule>(f32: Update<R>, f64: Update<R>): Update<R> =>
  (w, g, s, c, start, end) => (w instanceof Float32Array ? f32 : f64)(w, g, s, c, start, end);

/**
 * Keras Adam: m += (g - m)(1 - β1), v += (g² - v)(1 - β2), with AMSGrad (vHat given) vHat = max(vHat, v), then
 * w -= alpha·m / (sqrt(v or vHat) + ε). In float32 as Keras and TF.js compute it for float32 variables: alpha,
 * 1 - β1, 1 - β2 and ε rounded once, every operation rounded (a store rounds too); max of two float32 values is one of
 * them, or NaN.
 */
const adam32: Update<'adam'> = (w, g, [m, v, vHat], { alpha, beta1, beta2, epsilon }, start, end) => {
  const [a, c1, c2, eps] = [fround(alpha), fround(1 - beta1), fround(1 - beta2), fround(epsilon)];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const mi = slot32(fround(m![i]! + fround(fround(gi - m![i]!) * c1)));
    let vi = slot32(fround(v![i]! + fround(fround(fround(gi * gi) - v![i]!) * c2)));
    m![i] = mi;
    v![i] = vi;
    if (vHat) {
      vi = slot32(Math.max(vHat[i]!, vi));
      vHat[i] = vi;
    }
    w[i] = w[i]! - fround(fround(mi * a) / fround(fround(Math.sqrt(vi)) + eps));
  }
};

/** Adam for float64 storage: every term in float64. */
const adam64: Update<'adam'> = (w, g, [m, v, vHat], { alpha, beta1, beta2, epsilon }, start, end) => {
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    m![i] = m![i]! + (gi - m![i]!) * (1 - beta1);
    v![i] = v![i]! + (gi * gi - v![i]!) * (1 - beta2);
    let vi = v![i]!;
    if (vHat) {
      vHat[i] = Math.max(vHat[i]!, vi);
      vi = vHat[i]!;
    }
    w[i] = w[i]! - (m![i]! * alpha) / (Math.sqrt(vi) + epsilon);
  }
};

const adam = byPrecision(adam32, adam64);

/** Plain gradient descent: w -= g·lr. */
const sgd: Update<'sgd'> = (w, g, _s, { lr }, start, end) => {
  for (let i = start; i < end; i++) w[i] = w[i]! - g[i]! * lr;
};

/** SGD with momentum: velocity = momentum·velocity - lr·g, w += velocity. */
const sgdMomentum: Update<'sgdMomentum'> = (w, g, [velocity], { lr, momentum: mu }, start, end) => {
  for (let i = start; i < end; i++) {
    velocity![i] = velocity![i]! * mu - g[i]! * lr;
    w[i] = w[i]! + velocity![i]!;
  }
};

/** SGD with Nesterov momentum: velocity as above, w += momentum·velocity - lr·g. */
const sgdNesterov: Update<'sgdNesterov'> = (w, g, [velocity], { lr, momentum: mu }, start, end) => {
  for (let i = start; i < end; i++) {
    velocity![i] = velocity![i]! * mu - g[i]! * lr;
    w[i] = w[i]! + (velocity![i]! * mu - g[i]! * lr);
  }
};

/**
 * RMSprop: s = ρs + (1 - ρ)g², Δ = lr·g / sqrt(s + ε), or centered (average given) ḡ = ρḡ + (1 - ρ)g and
 * Δ = lr·g / sqrt(s - ḡ² + ε); w -= Δ, or with momentum (slot given) mom = momentum·mom + Δ, w -= mom. In float32:
 * lr, ρ, 1 - ρ, momentum and ε rounded once, every operation rounded.
 */
const rmsprop32: Update<'rmsprop'> = (w, g, [velocity, momentum, average], { lr, rho, momentum: mu, epsilon }, start, end) => {
  const [l, r, c, m, eps] = [fround(lr), fround(rho), fround(1 - rho), fround(mu), fround(epsilon)];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const vel = slot32(fround(fround(r * velocity![i]!) + fround(fround(c * gi) * gi)));
    velocity![i] = vel;
    let denominator: number;
    if (average) {
      const avg = slot32(fround(fround(r * average[i]!) + fround(c * gi)));
      average[i] = avg;
      denominator = fround(fround(vel - fround(avg * avg)) + eps);
    } else {
      denominator = fround(vel + eps);
    }
    const increment = fround(fround(l * gi) / fround(Math.sqrt(denominator)));
    if (momentum) {
      const mom = slot32(fround(fround(m * momentum[i]!) + increment));
      momentum[i] = mom;
      w[i] = w[i]! - mom;
    } else {
      w[i] = w[i]! - increment;
    }
  }
};

/** RMSprop for float64 storage: every term in float64. */
const rmsprop64: Update<'rmsprop'> = (w, g, [velocity, momentum, average], { lr, rho, momentum: mu, epsilon }, start, end) => {
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    velocity![i] = rho * velocity![i]! + (1 - rho) * gi * gi;
    let denominator: number;
    if (average) {
      average[i] = rho * average[i]! + (1 - rho) * gi;
      denominator = velocity![i]! - average[i]! * average[i]! + epsilon;
    } else {
      denominator = velocity![i]! + epsilon;
    }
    const increment = (lr * gi) / Math.sqrt(denominator);
    if (momentum) {
      momentum[i] = mu * momentum[i]! + increment;
      w[i] = w[i]! - momentum[i]!;
    } else {
      w[i] = w[i]! - increment;
    }
  }
};

const rmsprop = byPrecision(rmsprop32, rmsprop64);

/** Adagrad: a += g², w -= lr·g / sqrt(a + ε). In float32: lr and ε rounded once, every operation rounded. */
const adagrad32: Update<'adagrad'> = (w, g, [acc], { lr, epsilon }, start, end) => {
  const [l, eps] = [fround(lr), fround(epsilon)];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const a = slot32(fround(acc![i]! + fround(gi * gi)));
    acc![i] = a;
    w[i] = w[i]! - fround(fround(l * gi) / fround(Math.sqrt(fround(a + eps))));
  }
};

/** Adagrad for float64 storage: every term in float64. */
const adagrad64: Update<'adagrad'> = (w, g, [acc], { lr, epsilon }, start, end) => {
  for (let i = start; i < end; i++) {
    acc![i] = acc![i]! + g[i]! * g[i]!;
    w[i] = w[i]! - (lr * g[i]!) / Math.sqrt(acc![i]! + epsilon);
  }
};

const adagrad = byPrecision(adagrad32, adagrad64);

/**
 * Adamax: m += (g - m)(1 - β1), u = max(β2·u, |g|), w -= lr·m / (correction·(u + ε)), correction = 1 - β1^t. In
 * float32: lr, 1 - β1, β2, ε and the correction rounded once, every operation rounded (|g| and the max are exact).
 */
const adamax32: Update<'adamax'> = (w, g, [m, u], { lr, beta1, beta2, epsilon, correction }, start, end) => {
  const [l, c1, b2, eps, k] = [fround(lr), fround(1 - beta1), fround(beta2), fround(epsilon), fround(correction)];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const mi = slot32(fround(m![i]! + fround(fround(gi - m![i]!) * c1)));
    const ui = slot32(Math.max(fround(b2 * u![i]!), Math.abs(gi)));
    m![i] = mi;
    u![i] = ui;
    w[i] = w[i]! - fround(fround(l * mi) / fround(k * fround(ui + eps)));
  }
};

/** Adamax for float64 storage: every term in float64. */
const adamax64: Update<'adamax'> = (w, g, [m, u], { lr, beta1, beta2, epsilon, correction }, start, end) => {
  for (let i = start; i < end; i++) {
    m![i] = m![i]! + (g[i]! - m![i]!) * (1 - beta1);
    u![i] = Math.max(beta2 * u![i]!, Math.abs(g[i]!));
    w[i] = w[i]! - (lr * m![i]!) / (correction * (u![i]! + epsilon));
  }
};

const adamax = byPrecision(adamax32, adamax64);

/**
 * Nadam: m and v as Adam's, m̂ = μ_{t+1}·m/(1 - Πμ·μ_{t+1}) + (1 - μ_t)·g/(1 - Πμ), v̂ = v/(1 - β2^t),
 * w -= lr·m̂/(sqrt(v̂) + ε), with uT = μ_t, uNext = μ_{t+1}, productT = Πμ and beta2Power = β2^t. In float32: lr,
 * 1 - β1, 1 - β2, ε, μ_{t+1} and the other subterms that do not depend on the element (1 - Πμ·μ_{t+1}, 1 - μ_t,
 * 1 - Πμ, 1 - β2^t) rounded once, every operation rounded.
 */
const nadam32: Update<'nadam'> = (w, g, [m, v], { lr, beta1, beta2, epsilon, uT, uNext, productT, beta2Power }, start, end) => {
  const [l, c1, c2, eps] = [fround(lr), fround(1 - beta1), fround(1 - beta2), fround(epsilon)];
  const [un, dn, cg, dt, dv] = [fround(uNext), fround(1 - productT * uNext), fround(1 - uT), fround(1 - productT), fround(1 - beta2Power)];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const mi = slot32(fround(m![i]! + fround(fround(gi - m![i]!) * c1)));
    const vi = slot32(fround(v![i]! + fround(fround(fround(gi * gi) - v![i]!) * c2)));
    m![i] = mi;
    v![i] = vi;
    const mHat = fround(fround(fround(un * mi) / dn) + fround(fround(cg * gi) / dt));
    const vHat = fround(vi / dv);
    w[i] = w[i]! - fround(fround(mHat * l) / fround(fround(Math.sqrt(vHat)) + eps));
  }
};

/** Nadam for float64 storage: every term in float64. */
const nadam64: Update<'nadam'> = (w, g, [m, v], { lr, beta1, beta2, epsilon, uT, uNext, productT, beta2Power }, start, end) => {
  const productNext = productT * uNext;
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    m![i] = m![i]! + (gi - m![i]!) * (1 - beta1);
    v![i] = v![i]! + (gi * gi - v![i]!) * (1 - beta2);
    const mHat = (uNext * m![i]!) / (1 - productNext) + ((1 - uT) * gi) / (1 - productT);
    const vHat = v![i]! / (1 - beta2Power);
    w[i] = w[i]! - (mHat * lr) / (Math.sqrt(vHat) + epsilon);
  }
};

const nadam = byPrecision(nadam32, nadam64);

/**
 * Adadelta: E[g²] = ρE[g²] + (1 - ρ)g², Δ = -sqrt(E[Δ²] + ε)/sqrt(E[g²] + ε)·g, E[Δ²] = ρE[Δ²] + (1 - ρ)Δ², w += lr·Δ.
 * In float32: lr, ρ, 1 - ρ and ε rounded once, every operation rounded (the negation is exact).
 */
const adadelta32: Update<'adadelta'> = (w, g, [accGrad, accDelta], { lr, rho, epsilon }, start, end) => {
  const [l, r, c, eps] = [fround(lr), fround(rho), fround(1 - rho), fround(epsilon)];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const ag = slot32(fround(fround(r * accGrad![i]!) + fround(fround(c * gi) * gi)));
    accGrad![i] = ag;
    const ad = accDelta![i]!;
    const delta = fround(-fround(fround(Math.sqrt(fround(ad + eps))) * gi) / fround(Math.sqrt(fround(ag + eps))));
    accDelta![i] = slot32(fround(fround(r * ad) + fround(fround(c * delta) * delta)));
    w[i] = w[i]! + fround(l * delta);
  }
};

/** Adadelta for float64 storage: every term in float64. */
const adadelta64: Update<'adadelta'> = (w, g, [accGrad, accDelta], { lr, rho, epsilon }, start, end) => {
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    accGrad![i] = rho * accGrad![i]! + (1 - rho) * gi * gi;
    const delta = -(Math.sqrt(accDelta![i]! + epsilon) * gi) / Math.sqrt(accGrad![i]! + epsilon);
    accDelta![i] = rho * accDelta![i]! + (1 - rho) * delta * delta;
    w[i] = w[i]! + lr * delta;
  }
};

const adadelta = byPrecision(adadelta32, adadelta64);

/** Lion: w -= lr·sign(β1·m + (1 - β1)·g), then m = β2·m + (1 - β2)·g. */
const lion: Update<'lion'> = (w, g, [m], { lr, beta1, beta2 }, start, end) => {
  for (let i = start; i < end; i++) {
    w[i] = w[i]! - lr * Math.sign(m![i]! * beta1 + g[i]! * (1 - beta1));
    m![i] = m![i]! * beta2 + g[i]! * (1 - beta2);
  }
};

const UPDATES: { [R in OptimizerRule]: Update<R> } = { adam, sgd, sgdMomentum, sgdNesterov, rmsprop, adagrad, adamax, nadam, adadelta, lion };

/** One step of `rule` on elements [start, end) of w, its gradient g and its slots `s` (in the rule's order). */
export function optimizerUpdate<R extends OptimizerRule>(
  rule: R, w: FloatArray, g: FloatArray, s: Slots<FloatArray>, c: UpdateCoefficients<R>, start: number, end: number,
): void {
  UPDATES[rule](w, g, s, c, start, end);
}
