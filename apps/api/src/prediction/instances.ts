import { AppError } from '../errors.js';

/** A model's inputs as the predictor needs them: one flat Float32Array per input, `rows` samples each. */
export interface PredictionInputs {
  rows: number;
  inputs: Float32Array[];
  /** `instances` (row form) answers `predictions`; `inputs` (column form) answers `outputs`, as TensorFlow Serving does. */
  form: 'row' | 'column';
}

const describe = (shape: readonly number[]) => `[${shape.join(',')}]`;

/** Writes a sample (nested exactly to `shape`, or flat with prod(shape) values) into `out` at `offset`; errors name the path. */
function writeSample(value: unknown, shape: readonly number[], out: Float32Array, offset: number, path: string): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (Array.isArray(value) && value.length === size && value.every((v) => typeof v === 'number')) {
    for (let i = 0; i < size; i++) out[offset + i] = checkNumber(value[i], `${path}[${i}]`);
    return;
  }
  let written = 0;
  const walk = (v: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      out[offset + written++] = checkNumber(v, at);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new AppError(422, 'INVALID_INSTANCES', `${at} should be an array of ${shape[depth]} (the model's input shape is ${describe(shape)}, or give ${size} values flat); received ${Array.isArray(v) ? `${v.length} values` : JSON.stringify(v)?.slice(0, 40)}`);
    }
    v.forEach((item, i) => walk(item, depth + 1, `${at}[${i}]`));
  };
  walk(value, 0, path);
}

function checkNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AppError(422, 'INVALID_INSTANCES', `${path}: expected a finite number, received ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/**
 * Reads a TensorFlow Serving predict body: `{"instances": [...]}` (one entry per sample; an object of named inputs for
 * multi-input models) or `{"inputs": ...}` (columnar: the batch, or an object of batches by input name).
 */
export function readPredictionInputs(
  body: { instances?: unknown[] | undefined; inputs?: unknown },
  model: { inputNames: readonly string[]; inputShapes: readonly (readonly number[])[] },
  maxRows: number,
): PredictionInputs {
  const { inputNames, inputShapes } = model;
  const sizes = inputShapes.map((s) => s.reduce((a, b) => a * b, 1));
  const named = inputNames.length > 1;
  if (body.instances !== undefined) {
    const rows = body.instances.length;
    checkRows(rows, maxRows, 'instances');
    const inputs = sizes.map((size) => new Float32Array(rows * size));
    body.instances.forEach((instance, r) => {
      inputNames.forEach((name, k) => {
        let value: unknown = instance;
        if (named) {
          if (typeof instance !== 'object' || instance === null || Array.isArray(instance) || !(name in instance)) {
            throw new AppError(422, 'INVALID_INSTANCES', `instances[${r}] should be an object with the model's inputs ${inputNames.map((n) => JSON.stringify(n)).join(', ')}`);
          }
          value = (instance as Record<string, unknown>)[name];
        }
        writeSample(value, inputShapes[k]!, inputs[k]!, r * sizes[k]!, named ? `instances[${r}].${name}` : `instances[${r}]`);
      });
    });
    return { rows, inputs, form: 'row' };
  }
  const columns = named ? body.inputs : { [inputNames[0]!]: body.inputs };
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
    throw new AppError(422, 'INVALID_INSTANCES', `inputs should be an object with the model's inputs ${inputNames.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  let rows = -1;
  const inputs = inputNames.map((name, k) => {
    const batch = (columns as Record<string, unknown>)[name];
    const path = named ? `inputs.${name}` : 'inputs';
    if (!Array.isArray(batch)) throw new AppError(422, 'INVALID_INSTANCES', `${path} should be an array with one entry per sample`);
    if (rows >= 0 && batch.length !== rows) throw new AppError(422, 'INVALID_INSTANCES', `${path} has ${batch.length} samples; the other inputs have ${rows}`);
    rows = batch.length;
    checkRows(rows, maxRows, path);
    const out = new Float32Array(rows * sizes[k]!);
    batch.forEach((sample, r) => writeSample(sample, inputShapes[k]!, out, r * sizes[k]!, `${path}[${r}]`));
    return out;
  });
  return { rows, inputs, form: 'column' };
}

function checkRows(rows: number, maxRows: number, path: string): void {
  if (rows === 0) throw new AppError(422, 'INVALID_INSTANCES', `${path} is empty; send at least one sample`);
  if (rows > maxRows) throw new AppError(413, 'TOO_MANY_INSTANCES', `${path} has ${rows} samples; the limit per request is ${maxRows}`, { rows, limit: maxRows });
}
