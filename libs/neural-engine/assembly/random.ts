/*
 * Dropout's keep masks from the engine's generator: xoshiro128** as src/rng.ts runs it, each element drawing what
 * Rng.uniform() draws (two 32-bit outputs, 27 + 26 bits, as a float64 in [0, 1)), in element order, so a mask is the
 * same bits on either backend and the stream goes on where the JS generator would. One stream: never split.
 */

/**
 * mask[i] = keep (rounded to f32) where the i-th draw is ≥ rate, else 0, for i in [0, n). `state` holds the
 * generator's four 32-bit words, read first and written back.
 */
export function keepMask(state: usize, mask: usize, n: i32, rate: f64, keep: f64): void {
  let s0 = load<u32>(state);
  let s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8);
  let s3 = load<u32>(state, 12);
  const keptBits = reinterpret<i32>(<f32>keep);
  // u ≥ rate ⟺ hi·2^26 + lo ≥ ⌈rate·2^53⌉: u is that integer (below 2^53) divided by 2^53, exactly, so the draw can
  // be compared as an integer, with no float conversion or division per element. A NaN rate keeps nothing (as
  // u ≥ NaN is false); the clamp keeps the conversion in range (a rate of 1 or more keeps nothing, below 0 all).
  const scaled = Math.ceil(rate * 9007199254740992.0);
  const threshold: i64 = isNaN(scaled) ? i64.MAX_VALUE : <i64>min(max(scaled, -1.0), 9007199254740992.0);
  for (let i = 0; i < n; i++) {
    // Rng.nextUint32: the output comes from s1 before the state advances.
    let a1 = s1;
    let a2 = s2 ^ s0;
    let a3 = s3 ^ s1;
    s0 ^= a3;
    s1 ^= a2;
    s2 = a2 ^ (a1 << 9);
    s3 = rotl<u32>(a3, 11);
    const hi = (rotl<u32>(a1 * 5, 7) * 9) >>> 5;
    a1 = s1;
    a2 = s2 ^ s0;
    a3 = s3 ^ s1;
    s0 ^= a3;
    s1 ^= a2;
    s2 = a2 ^ (a1 << 9);
    s3 = rotl<u32>(a3, 11);
    const lo = (rotl<u32>(a1 * 5, 7) * 9) >>> 6;
    // Branch-free (keep's bits, or +0's): a select on random draws compiled to a branch mispredicts half the time.
    const drawn = <i32>((<i64>hi << 26 | <i64>lo) >= threshold);
    store<i32>(mask + (<usize>i << 2), keptBits & -drawn);
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}
