/*
 * Scalar functions shared by several activations, written to stay accurate where the textbook formula overflows or
 * cancels (large |x|).
 */

/** Logistic sigmoid 1 / (1 + e^-x), evaluated through e^x for negative x so that e^-x never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) as max(x, 0) + log1p(e^-|x|): exact for large |x| where e^x overflows or 1 + e^x rounds to 1. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log(sigmoid(x)) = -softplus(-x), finite for very negative x (where sigmoid underflows to 0). */
export function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * Complementary error function, accurate to about 1e-15 relative: JavaScript has no Math.erf, and GELU's exact form
 * needs Φ(x) = erfc(-x/√2)/2 with full float64 precision for finite-difference gradient checks to be meaningful.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  if (x > 27) return 0; // e^-x² underflows
  return Math.exp(-x * x) * INV_SQRT_PI * erfcContinuedFraction(x);
}

/** Error function (see erfc). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 2.5) return erfSeries(x);
  return x > 0 ? 1 - erfc(x) : erfc(-x) - 1;
}

/**
 * erf(x) = 2/√π · e^-x² · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term has the sign of x, so unlike the alternating
 * Taylor series it has no cancellation; it converges quickly for the |x| < 2.5 it is used on.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * Laplace's continued fraction erfc(x)·√π·e^x² = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up;
 * for x ≥ 2.5 sixty levels reach full double precision.
 */
function erfcContinuedFraction(x: number): number {
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
  return 1 / f;
}

const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal CDF Φ(x), through erfc so that the far left tail keeps its relative precision. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * INV_SQRT_2);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
