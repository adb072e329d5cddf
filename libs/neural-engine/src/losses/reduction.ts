import { DataError } from '../errors.js';
import type { RowMap } from './layout.js';
import type { Reduction } from './loss.js';

/** Per-row loss values after sample weights and masks, the reduced loss, and d(loss)/d(row value) for each row. */
export interface ReducedRows {
  /** Weighted values, one per row (one per sample when a single whole-batch value is broadcast over the weights). */
  weighted: Float64Array;
  loss: number;
  /** d(loss)/d(unweighted value of row r). */
  rowCoefficients: Float64Array;
}

/**
 * Keras 3 `reduce_weighted_values` for per-row values: sample weights (one per sample, applied to all its rows),
 * an optional 0/1 row mask (SparseCategoricalCrossentropy's ignoreClass), then the reduction. `sum_over_batch_size`
 * and `mean` divide by the number of values, not by the weights' sum; with a mask they divide by the number of valid
 * rows, as Keras' mask rescaling does. `none` reduces to the sum, the scalar whose gradient a vector loss has.
 */
export function reduceRows(
  values: Float64Array,
  map: RowMap,
  batch: number,
  reduction: Reduction,
  sampleWeight?: ArrayLike<number> | null,
  mask?: Uint8Array | null,
): ReducedRows {
  const rows = values.length;
  const mean = reduction === 'sum_over_batch_size' || reduction === 'mean';
  if (sampleWeight != null && sampleWeight.length !== batch) {
    throw new DataError(`sampleWeight has ${sampleWeight.length} values but the batch has ${batch} samples`);
  }
  if (sampleWeight != null && map.batchReduced) {
    // A value computed over the whole batch: Keras broadcasts it against the per-sample weights.
    if (rows !== 1) throw new DataError('sample weights need a loss that keeps the batch axis or reduces everything');
    const m = mask ? mask[0]! : 1;
    const weighted = new Float64Array(batch);
    let wSum = 0;
    for (let b = 0; b < batch; b++) {
      weighted[b] = values[0]! * sampleWeight[b]! * m;
      wSum += sampleWeight[b]! * m;
    }
    const coefficient = mean ? (batch > 0 ? wSum / batch : 0) : wSum;
    return { weighted, loss: values[0]! * coefficient, rowCoefficients: Float64Array.of(coefficient) };
  }
  const rowsPerSample = map.batchReduced || batch === 0 ? rows : rows / batch;
  const weighted = new Float64Array(rows);
  const coefficients = new Float64Array(rows);
  let valid = 0;
  for (let r = 0; r < rows; r++) {
    const w = (sampleWeight != null && !map.batchReduced ? sampleWeight[Math.floor(r / rowsPerSample)]! : 1) * (mask ? mask[r]! : 1);
    coefficients[r] = w;
    weighted[r] = values[r]! * w;
    if (!mask || mask[r]) valid++;
  }
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += weighted[r]!;
  if (!mean) return { weighted, loss: sum, rowCoefficients: coefficients };
  const divisor = mask ? valid : rows;
  const scale = divisor > 0 ? 1 / divisor : 0;
  for (let r = 0; r < rows; r++) coefficients[r]! *= scale;
  return { weighted, loss: sum * scale, rowCoefficients: coefficients };
}
