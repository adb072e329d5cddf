import type { PredictionInputs } from './instances.js';
import type { PredictionOutput } from './run-model.js';

/** Flat values of `rows` samples back into nested arrays of `shape` each. */
export function unflatten(data: ArrayLike<number>, rows: number, shape: readonly number[]): unknown[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const build = (offset: number, depth: number): unknown => {
    if (depth === shape.length) return data[offset];
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[depth]! }, (_, i) => build(offset + i * stride, depth + 1));
  };
  return Array.from({ length: rows }, (_, r) => build(r * size, 0));
}

/**
 * Outputs in TensorFlow Serving's answer shape: row form gives one entry per sample (an object by output name for
 * multi-output models), column form gives the batch (or an object of batches by output name).
 */
export function formatValues(outputs: readonly PredictionOutput[], outputNames: readonly string[], rows: number, form: PredictionInputs['form']): unknown {
  const perSample = outputs.map((output) => unflatten(output.data, rows, output.shape.slice(1)));
  if (outputNames.length === 1) return perSample[0];
  if (form === 'row') return Array.from({ length: rows }, (_, r) => Object.fromEntries(outputNames.map((name, k) => [name, perSample[k]![r]])));
  return Object.fromEntries(outputNames.map((name, k) => [name, perSample[k]]));
}

/** For a vector output with more than one unit (a classifier), the arg-max per sample, as a class name when known. */
export function predictedClasses(data: ArrayLike<number>, rows: number, shape: readonly number[], classNames: string[] | null): (string | number)[] | null {
  if (shape.length !== 1 || shape[0]! < 2) return null;
  const units = shape[0]!;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < units; j++) if (data[r * units + j]! > data[r * units + best]!) best = j;
    return classNames?.[best] ?? best;
  });
}
