import type { FloatArray } from '../tensor.js';

/**
 * Whether every value of a float array is finite: v·0 is 0 for a finite v and NaN for NaN or ±Infinity, so their sum
 * is 0 exactly when all are. Four sums let the additions overlap (22-29 µs for a W1 batch of 50,176 floats here,
 * against 51-55 µs with one sum).
 */
export function allFinite(a: FloatArray): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n4 = a.length & ~3;
  for (let i = 0; i < n4; i += 4) {
    s0 += a[i]! * 0;
    s1 += a[i + 1]! * 0;
    s2 += a[i + 2]! * 0;
    s3 += a[i + 3]! * 0;
  }
  for (let i = n4; i < a.length; i++) s0 += a[i]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}
