import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { readPredictionInputs } from './instances.js';
import { TurnBudget } from './turn-budget.js';

const single = { inputNames: ['x'], inputShapes: [[2, 2]] };
const pair = { inputNames: ['a', 'b'], inputShapes: [[2], [1]] };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('readPredictionInputs', () => {
  it('reads nested and flat samples, row and column form', async () => {
    const nested = await readPredictionInputs({ instances: [[[1, 2], [3, 4]], [5, 6, 7, 8]] }, single, 10);
    expect(nested.form).toBe('row');
    expect([...nested.inputs[0]!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const columns = await readPredictionInputs({ inputs: { a: [[1, 2], [3, 4]], b: [[5], [6]] } }, pair, 10);
    expect(columns).toMatchObject({ rows: 2, form: 'column' });
    expect(columns.inputs.map((x) => [...x])).toEqual([[1, 2, 3, 4], [5, 6]]);
  });

  it('names the sample and the position of a bad value', async () => {
    const flat = await failure(readPredictionInputs({ instances: [[1, 2, 3, 4], [1, 2, 'x', 4]] }, single, 10));
    expect(flat.message).toBe('instances[1][2]: expected a finite number, received "x"');
    const nested = await failure(readPredictionInputs({ instances: [[[1, 2], [3, null]]] }, single, 10));
    expect(nested.message).toBe('instances[0][1][1]: expected a finite number, received null');
    const shape = await failure(readPredictionInputs({ instances: [[[1, 2, 3], [4]]] }, single, 10));
    expect(shape.message).toBe("instances[0][0] should be an array of 2 (the model's input shape is [2,2], or give 4 values flat); received 3 values");
    const named = await failure(readPredictionInputs({ instances: [{ a: [1, 2], b: [Infinity] }] }, pair, 10));
    expect(named.message).toBe('instances[0].b[0]: expected a finite number, received Infinity');
    // Finite in the JSON, infinite in float32: refused here rather than by the model.
    const huge = await failure(readPredictionInputs({ instances: [[1, 2, 3, 4], [1, -1e39, 3, 4]] }, single, 10));
    expect(huge.message).toBe("instances[1][1]: expected a number within float32's range (±3.4e38), received -1e+39");
    const hugeNested = await failure(readPredictionInputs({ instances: [[[1, 2], [3, 1e300]]] }, single, 10));
    expect(hugeNested.message).toBe("instances[0][1][1]: expected a number within float32's range (±3.4e38), received 1e+300");
    expect([...(await readPredictionInputs({ instances: [[3.4e38, -3.4e38, 1, 2]] }, single, 10)).inputs[0]!]).toEqual([3.4e38, -3.4e38, 1, 2].map(Math.fround));
    const column = await failure(readPredictionInputs({ inputs: { a: [[1, 2]], b: [[1], [2]] } }, pair, 10));
    expect(column.message).toBe('inputs.b has 2 samples; the other inputs have 1');
  });

  it('refuses more rows than the limit with 413, and no rows with 422', async () => {
    const many = await failure(readPredictionInputs({ instances: [[1, 2, 3, 4], [1, 2, 3, 4]] }, single, 1));
    expect(many).toMatchObject({ statusCode: 413, code: 'TOO_MANY_INSTANCES', details: { rows: 2, limit: 1 } });
    expect(await failure(readPredictionInputs({ instances: [] }, single, 1))).toMatchObject({ statusCode: 422, code: 'INVALID_INSTANCES' });
  });

  it('gives the event loop turns while it converts a large body, with the same result as in one go', async () => {
    const model = { inputNames: ['x'], inputShapes: [[100]] };
    const instances = Array.from({ length: 2_000 }, (_, r) => Array.from({ length: 100 }, (_, i) => r - i / 7));
    // Another task that asks for a turn after each of its own (setImmediate, as the converter yields): it only runs
    // while the conversion is pending if the conversion gives the loop back. Counting timer ticks instead would
    // depend on how fast the machine is.
    let turns = 0;
    let converting = true;
    const other = () => {
      if (!converting) return;
      turns++;
      setImmediate(other);
    };
    setImmediate(other);
    const sliced = await readPredictionInputs({ instances }, model, 10_000, new TurnBudget(10_000));
    converting = false;
    const whole = await readPredictionInputs({ instances }, model, 10_000, new TurnBudget(Infinity));
    // 200,000 values in slices of 10,000: the timer got a turn between slices.
    expect(turns).toBeGreaterThan(5);
    expect(Buffer.from(sliced.inputs[0]!.buffer).equals(Buffer.from(whole.inputs[0]!.buffer))).toBe(true);
  });
});
