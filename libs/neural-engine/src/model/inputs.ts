import { DataError } from '../errors.js';
import type { Shape } from '../tensor.js';
import { type ArrayData, type TensorInput, conformToShape, sampleCount, toArrayData } from './data.js';
import { checkLabels } from './labels.js';

/**
 * Data for a model's inputs (or targets for its outputs): the data itself for a model with one input (output); a
 * list in order or a record by name for several, as Keras accepts.
 */
export type ModelData = TensorInput | TensorInput[] | Record<string, TensorInput>;

/** Splits `data` into one entry per name (a model's inputs or outputs). */
function splitByName(data: ModelData, names: readonly string[], label: string): { value: TensorInput; label: string }[] {
  if (isRecord(data)) {
    for (const key of Object.keys(data)) {
      if (!names.includes(key)) throw new DataError(`${label}.${key}: the model has no ${label === 'x' ? 'input' : 'output'} named ${JSON.stringify(key)}; expected ${names.join(', ')}`);
    }
    return names.map((n) => {
      const value = data[n];
      if (value === undefined) throw new DataError(`${label}.${n} is missing; the model needs data for ${names.join(', ')}`);
      return { value, label: `${label}.${n}` };
    });
  }
  if (names.length === 1) return [{ value: data as TensorInput, label }];
  if (!Array.isArray(data) || data.length !== names.length) {
    throw new DataError(`${label} must be a list of ${names.length} arrays (${names.join(', ')}) or a record by name`);
  }
  return (data as TensorInput[]).map((value, k) => ({ value, label: `${label}[${k}]` }));
}

function isRecord(data: ModelData): data is Record<string, TensorInput> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && !('shape' in data && 'data' in data);
}

/**
 * Validated model inputs: one array per input, conformed to its shape, all with the same number of samples. With
 * `deferFiniteCheck`, float arrays' values are checked batch by batch as gatherSamples copies them (toArrayData).
 */
export function prepareInputs(x: ModelData, names: readonly string[], shapes: readonly Shape[], label = 'x', options: { deferFiniteCheck?: boolean } = {}): ArrayData[] {
  const parts = splitByName(x, names, label).map((p, k) => conformToShape(toArrayData(p.value, p.label, options), shapes[k]!, p.label));
  const n = sampleCount(parts[0]!);
  parts.forEach((p, k) => {
    if (sampleCount(p) !== n) throw new DataError(`${label} inputs have different numbers of samples: ${names[0]} has ${n}, ${names[k]} has ${sampleCount(p)}`);
  });
  return parts;
}

/** Validated targets: one array per output, matching its shape (or class indices), with `samples` samples each. */
export function prepareTargets(y: ModelData, names: readonly string[], shapes: readonly Shape[], samples: number, label = 'y'): ArrayData[] {
  return splitByName(y, names, label).map((p, k) => checkLabels(p.value, samples, shapes[k]!, p.label));
}
