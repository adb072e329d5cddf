/*
 * Uneven splits learned from the parts themselves. A training step repeats the same ops, and a participant that
 * computes its half of one op slower than the other (measured on W1 at batch 256: the worker's half of each large
 * product ~5–20 % slower than the caller's, the caller then waiting 80–320 µs per product) stays slower at the next
 * step. So each participant's speed on an op is remembered, and the next call of that op gives each a share of the
 * range in proportion to it. Results do not depend on the split (see split-specs.ts), only the time does.
 */

/** How much one new measurement moves a participant's remembered speed (an exponential moving average). */
const SMOOTHING = 0.25;
/** No participant's share moves further than this factor from an equal share, whatever was measured. */
const MAX_SKEW = 2;
/** Parts faster than this many milliseconds say more about the clock and call overheads than about speed. */
const MIN_MS = 0.02;

export class SplitBalance {
  /**
   * Per op key, each participant's speed in range units per millisecond (0 until measured). Float64Arrays: a plain
   * array filled with 0 changes its elements kind when the first speed lands, and each such change deoptimized the
   * pool's compiled `run` in a fresh process.
   */
  private readonly speeds = new Map<string, Float64Array>();

  constructor(private readonly participants: number) {
    if (!Number.isInteger(participants) || participants < 1) throw new RangeError(`SplitBalance participants = ${participants}: expected a positive integer`);
  }

  /**
   * Each participant's share of the next call of `key` (summing to 1), or undefined while some participant has no
   * measurement of it yet (split evenly then).
   */
  shares(key: string): Float64Array | undefined {
    const speeds = this.speeds.get(key);
    if (!speeds || speeds.some((s) => s <= 0)) return undefined;
    const mean = speeds.reduce((a, b) => a + b, 0) / speeds.length;
    const bounded = speeds.map((s) => Math.min(mean * MAX_SKEW, Math.max(mean / MAX_SKEW, s)));
    const total = bounded.reduce((a, b) => a + b, 0);
    return bounded.map((s) => s / total);
  }

  /** Remembers that `participant` computed `units` of op `key` in `ms` milliseconds (too short a part is ignored). */
  record(key: string, participant: number, units: number, ms: number): void {
    if (!(ms >= MIN_MS) || !(units > 0) || participant < 0 || participant >= this.participants) return;
    let speeds = this.speeds.get(key);
    if (!speeds) this.speeds.set(key, (speeds = new Float64Array(this.participants)));
    const speed = units / ms;
    const before = speeds[participant]!;
    speeds[participant] = before > 0 ? before + SMOOTHING * (speed - before) : speed;
  }
}
