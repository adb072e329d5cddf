/** Statistics given to Normalization.adaptFromStatistics: one mean and variance per kept position (or a scalar). */
export interface AdaptStatistics {
  mean: number | ArrayLike<number>;
  variance: number | ArrayLike<number>;
  /** Number of values each statistic was computed from (stored in the `count` weight; default 1). */
  count?: number;
}

/** Validated statistics, one entry per kept position. */
export interface AdaptedStatistics {
  mean: Float64Array;
  variance: Float64Array;
  count: number;
}

/**
 * Mean and biased variance (NumPy's np.var, as Keras's adapt uses) of the values at each kept position: `slot` gives the
 * position of each element of one sample, and the data holds whole samples. Two passes in float64 for accuracy.
 */
export function dataMoments(data: ArrayLike<number>, slot: Int32Array, slots: number): AdaptedStatistics {
  const n = slot.length;
  const count = data.length / slots;
  const mean = new Float64Array(slots);
  for (let i = 0; i < data.length; i++) mean[slot[i % n]!]! += data[i]!;
  for (let s = 0; s < slots; s++) mean[s]! /= count;
  const variance = new Float64Array(slots);
  for (let i = 0; i < data.length; i++) {
    const d = data[i]! - mean[slot[i % n]!]!;
    variance[slot[i % n]!]! += d * d;
  }
  for (let s = 0; s < slots; s++) variance[s]! /= count;
  return { mean, variance, count };
}

/** Validates adaptFromStatistics input (finite values, variance >= 0, matching lengths) against `expected` slots. */
export function checkStatistics(s: AdaptStatistics, expected: number | undefined, who: string): AdaptedStatistics {
  const asArray = (v: number | ArrayLike<number>): Float64Array => (typeof v === 'number' ? Float64Array.of(v) : Float64Array.from(v));
  let mean = asArray(s.mean);
  let variance = asArray(s.variance);
  if (mean.length !== variance.length) throw new Error(`${who}: mean has ${mean.length} values but variance has ${variance.length}`);
  if (expected !== undefined && mean.length === 1 && expected !== 1) {
    // A scalar applies to every kept position, as a scalar mean does in the config.
    mean = new Float64Array(expected).fill(mean[0]!);
    variance = new Float64Array(expected).fill(variance[0]!);
  }
  if (expected !== undefined && mean.length !== expected) throw new Error(`${who}: expected ${expected} means and variances, received ${mean.length}`);
  if (!mean.every(Number.isFinite)) throw new Error(`${who}: mean values must be finite`);
  if (!variance.every((v) => Number.isFinite(v) && v >= 0)) throw new Error(`${who}: variance values must be finite and >= 0`);
  const count = s.count ?? 1;
  if (!(Number.isFinite(count) && count > 0)) throw new Error(`${who}: count must be > 0, received ${count}`);
  return { mean, variance, count };
}
