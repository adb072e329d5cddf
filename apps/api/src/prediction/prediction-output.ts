import type { PredictionInputs } from './instances.js';
import type { PredictionOutput } from './run-model.js';
import { eventLoopBudget } from './turn-budget.js';

/** One sample's values from `offset`, nested to `shape`. */
function nest(data: ArrayLike<number>, offset: number, shape: readonly number[], depth = 0): unknown[] {
  const length = shape[depth] ?? 1;
  const out = new Array<unknown>(length);
  if (depth === shape.length - 1) {
    for (let i = 0; i < length; i++) out[i] = data[offset + i];
    return out;
  }
  const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < length; i++) out[i] = nest(data, offset + i * stride, shape, depth + 1);
  return out;
}

/**
 * Flat values of `rows` samples back into nested arrays of `shape` each (a scalar per sample when the shape is []).
 * A slice at a time, within the event loop's budget: 10 concurrent maximum answers built in one go each held the
 * event loop for 20 to 200 ms.
 */
export async function unflatten(data: ArrayLike<number>, rows: number, shape: readonly number[]): Promise<unknown[]> {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Array<unknown>(rows);
  for (let r = 0; r < rows; r++) {
    if (!eventLoopBudget.take(size)) await eventLoopBudget.wait(size);
    out[r] = shape.length === 0 ? data[r] : nest(data, r * size, shape);
  }
  return out;
}

/**
 * Outputs in TensorFlow Serving's answer shape: row form gives one entry per sample (an object by output name for
 * multi-output models), column form gives the batch (or an object of batches by output name).
 */
export async function formatValues(outputs: readonly PredictionOutput[], outputNames: readonly string[], rows: number, form: PredictionInputs['form']): Promise<unknown> {
  const perSample: unknown[][] = [];
  for (const output of outputs) perSample.push(await unflatten(output.data, rows, output.shape.slice(1)));
  if (outputNames.length === 1) return perSample[0];
  if (form === 'row') return Array.from({ length: rows }, (_, r) => Object.fromEntries(outputNames.map((name, k) => [name, perSample[k]![r]])));
  return Object.fromEntries(outputNames.map((name, k) => [name, perSample[k]]));
}

/** For a vector output with more than one unit (a classifier), the arg-max per sample, as a class name when known. */
export function predictedClasses(data: ArrayLike<number>, rows: number, shape: readonly number[], classNames: string[] | null): (string | number)[] | null {
  if (shape.length !== 1 || shape[0]! < 2) return null;
  const units = shape[0]!;
  const out = new Array<string | number>(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < units; j++) if (data[r * units + j]! > data[r * units + best]!) best = j;
    out[r] = classNames?.[best] ?? best;
  }
  return out;
}
