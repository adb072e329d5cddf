/** The largest finite float32, 3.4028234663852886e38. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** 2^128 - 2^103: the smallest magnitude that rounds to Infinity as float32 (half an ulp above FLOAT32_MAX). */
const FLOAT32_OVERFLOW = 3.4028235677973366e38;

/**
 * True when `v` is finite and stays finite once stored as float32 (false for NaN). The test is on the rounded value,
 * so numpy's printed float32 maximum `3.4028235e38` (a hair above FLOAT32_MAX) is accepted: it rounds to FLOAT32_MAX.
 */
export function isStorableFloat32(v: number): boolean {
  return Math.abs(v) < FLOAT32_OVERFLOW;
}

/** Why a number that is not storable was refused, for messages. */
export function float32Problem(v: number): string {
  if (Number.isNaN(v)) return 'NaN is not a finite number';
  if (!Number.isFinite(v)) return 'it overflows to Infinity';
  return `it overflows float32, whose largest value is ${FLOAT32_MAX}`;
}
