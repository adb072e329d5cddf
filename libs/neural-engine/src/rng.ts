/**
 * The engine's seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). One instance per model
 * drives initializers, dropout masks and shuffling; its whole state is four 32-bit words, saved with checkpoints so a
 * resumed run draws exactly the numbers an uninterrupted one would.
 */
export class Rng {
  // Int32Array, not Uint32Array: V8 keeps int32 words unboxed, while uint32 words above 2^31 become doubles (3× slower
  // draws). The bits are the same; getState reports them unsigned.
  private readonly s = new Int32Array(4);

  constructor(seed: number = 0) {
    this.reseed(seed);
  }

  /** Resets the state from a seed (any integer; the same seed gives the same stream). */
  reseed(seed: number): void {
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 0x100000000)) >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = z ^ (z >>> 16);
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]! ^ s0;
    const s3 = s[3]! ^ s1;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [min, max). */
  uniformRange(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /** Standard normal sample (Box-Muller; two uniforms per sample so the state stays four words). */
  normal(mean = 0, stddev = 1): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return mean + stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Normal sample redrawn until it lies within two standard deviations (Keras TruncatedNormal). */
  truncatedNormal(mean = 0, stddev = 1): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return mean + stddev * z;
    }
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(items: { length: number; [i: number]: T }): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
  }

  /** The generator's state, for checkpoints. */
  getState(): number[] {
    return Array.from(this.s, (w) => w >>> 0);
  }

  /** Restores a state obtained from getState. */
  setState(state: readonly number[]): void {
    if (state.length !== 4) throw new RangeError(`RNG state must be 4 words, received ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i]! | 0;
  }
}

/** 32-bit rotate left, as an int32. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
