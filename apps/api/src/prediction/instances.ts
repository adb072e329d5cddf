import { AppError } from '../errors.js';
import { eventLoopBudget, type TurnBudget } from './turn-budget.js';

/** A model's inputs as the predictor needs them: one flat Float32Array per input, `rows` samples each. */
export interface PredictionInputs {
  rows: number;
  inputs: Float32Array[];
  /** `instances` (row form) answers `predictions`; `inputs` (column form) answers `outputs`, as TensorFlow Serving does. */
  form: 'row' | 'column';
}

const describe = (shape: readonly number[]) => `[${shape.join(',')}]`;

function numberError(value: unknown, path: string): AppError {
  const received = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  // A finite number whose float32 is infinite (models compute in float32).
  const expected = Number.isFinite(value) ? "a number within float32's range (±3.4e38)" : 'a finite number';
  return new AppError(422, 'INVALID_INSTANCES', `${path}: expected ${expected}, received ${received}`);
}

/**
 * Writes a sample (nested exactly to `shape`, or flat with prod(shape) values) into `out` at `offset`; errors name the
 * path. Paths are built only on error: building one per number made a maximum batch cost 360 ms instead of 20.
 */
function writeSample(value: unknown, shape: readonly number[], size: number, out: Float32Array, offset: number, path: () => string): void {
  if (Array.isArray(value) && value.length === size) {
    let i = 0;
    for (; i < size; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) break;
      out[offset + i] = v;
      if (!Number.isFinite(out[offset + i])) break;
    }
    if (i === size) return;
    // A flat sample with a bad value: name that value (a nested sample falls through to the walk below).
    if (!Array.isArray(value[i])) throw numberError(value[i], `${path()}[${i}]`);
  }
  const index: number[] = [];
  const at = () => path() + index.map((i) => `[${i}]`).join('');
  let written = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw numberError(v, at());
      out[offset + written] = v;
      if (!Number.isFinite(out[offset + written++])) throw numberError(v, at());
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new AppError(422, 'INVALID_INSTANCES', `${at()} should be an array of ${shape[depth]} (the model's input shape is ${describe(shape)}, or give ${size} values flat); received ${Array.isArray(v) ? `${v.length} values` : JSON.stringify(v)?.slice(0, 40)}`);
    }
    for (let i = 0; i < v.length; i++) {
      index.push(i);
      walk(v[i], depth + 1);
      index.pop();
    }
  };
  walk(value, 0);
}

/**
 * Reads a TensorFlow Serving predict body: `{"instances": [...]}` (one entry per sample; an object of named inputs for
 * multi-input models) or `{"inputs": ...}` (columnar: the batch, or an object of batches by input name). Large bodies
 * are converted a slice at a time, within the event loop's budget shared with every other conversion (`turns`).
 */
export async function readPredictionInputs(
  body: { instances?: unknown[] | undefined; inputs?: unknown },
  model: { inputNames: readonly string[]; inputShapes: readonly (readonly number[])[] },
  maxRows: number,
  turns: TurnBudget = eventLoopBudget,
): Promise<PredictionInputs> {
  const { inputNames, inputShapes } = model;
  const sizes = inputShapes.map((s) => s.reduce((a, b) => a * b, 1));
  const named = inputNames.length > 1;
  if (body.instances !== undefined) {
    const instances = body.instances;
    const rows = instances.length;
    checkRows(rows, maxRows, 'instances');
    const inputs = sizes.map((size) => new Float32Array(rows * size));
    for (let r = 0; r < rows; r++) {
      const instance: unknown = instances[r];
      for (let k = 0; k < inputNames.length; k++) {
        const name = inputNames[k]!;
        let value: unknown = instance;
        if (named) {
          if (typeof instance !== 'object' || instance === null || Array.isArray(instance) || !(name in instance)) {
            throw new AppError(422, 'INVALID_INSTANCES', `instances[${r}] should be an object with the model's inputs ${inputNames.map((n) => JSON.stringify(n)).join(', ')}`);
          }
          value = (instance as Record<string, unknown>)[name];
        }
        if (!turns.take(sizes[k]!)) await turns.wait(sizes[k]!);
        writeSample(value, inputShapes[k]!, sizes[k]!, inputs[k]!, r * sizes[k]!, () => (named ? `instances[${r}].${name}` : `instances[${r}]`));
      }
    }
    return { rows, inputs, form: 'row' };
  }
  const columns = named ? body.inputs : { [inputNames[0]!]: body.inputs };
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
    throw new AppError(422, 'INVALID_INSTANCES', `inputs should be an object with the model's inputs ${inputNames.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  let rows = -1;
  const inputs: Float32Array[] = [];
  for (let k = 0; k < inputNames.length; k++) {
    const batch = (columns as Record<string, unknown>)[inputNames[k]!];
    const path = named ? `inputs.${inputNames[k]}` : 'inputs';
    if (!Array.isArray(batch)) throw new AppError(422, 'INVALID_INSTANCES', `${path} should be an array with one entry per sample`);
    if (rows >= 0 && batch.length !== rows) throw new AppError(422, 'INVALID_INSTANCES', `${path} has ${batch.length} samples; the other inputs have ${rows}`);
    rows = batch.length;
    checkRows(rows, maxRows, path);
    const out = new Float32Array(rows * sizes[k]!);
    for (let r = 0; r < rows; r++) {
      if (!turns.take(sizes[k]!)) await turns.wait(sizes[k]!);
      writeSample(batch[r], inputShapes[k]!, sizes[k]!, out, r * sizes[k]!, () => `${path}[${r}]`);
    }
    inputs.push(out);
  }
  return { rows, inputs, form: 'column' };
}

function checkRows(rows: number, maxRows: number, path: string): void {
  if (rows === 0) throw new AppError(422, 'INVALID_INSTANCES', `${path} is empty; send at least one sample`);
  if (rows > maxRows) throw new AppError(413, 'TOO_MANY_INSTANCES', `${path} has ${rows} samples; the limit per request is ${maxRows}`, { rows, limit: maxRows });
}
