import { DatasetError } from '../core/dataset-error.js';
import type { TrainingDataPlan } from './plan-training-data.js';

/**
 * Builds the targets the engine trains on from a dataset's y (rows × prod(labelShape)): one-hot rows, indices, or y
 * itself (returned as is, not copied). Every class label is checked: an integer in range, else INVALID_LABEL naming
 * the row (1-based) and the label.
 */
export function encodeTargets(y: Float32Array, rows: number, plan: TrainingDataPlan): Float32Array {
  const perRow = rows === 0 ? 0 : y.length / rows;
  if (!Number.isInteger(perRow)) throw new DatasetError('SHAPE_MISMATCH', `y has ${y.length} values, which is not a whole number of values for ${rows} rows`);
  if (plan.targetEncoding === 'raw') return y;
  const classes = plan.numClasses ?? 0;
  const loss = plan.loss ?? (plan.targetEncoding === 'one-hot' ? 'a categorical loss' : 'a sparse loss');
  const ignore = plan.targetEncoding === 'index' ? plan.ignoreClass ?? null : null;
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (Number.isInteger(label) && label >= 0 && label < classes) continue;
    if (label === ignore) continue;
    const row = Math.floor(i / perRow) + 1;
    const problem = Number.isInteger(label) ? `is not a class index in [0, ${classes})` : 'is not an integer class index';
    throw new DatasetError('INVALID_LABEL', `row ${row}: label ${label} ${problem}; ${loss} needs integer class labels in [0, ${classes})`, {
      row,
      details: { received: String(label) },
    });
  }
  if (plan.targetEncoding === 'index') return y;
  const out = new Float32Array(y.length * classes);
  for (let i = 0; i < y.length; i++) out[i * classes + y[i]!] = 1;
  return out;
}
