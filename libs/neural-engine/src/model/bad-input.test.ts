import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../errors.js';
import { Sequential } from './sequential.js';

/*
 * Bad input (issue point 7): invalid definitions throw ConfigError naming the path and the received value; bad data is
 * rejected before training with a message naming the position.
 */

function configError(definition: unknown): ConfigError {
  try {
    Sequential.fromDefinition(definition);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const dense = (extra: object = {}): object => ({ type: 'Dense', units: 4, inputShape: [3], ...extra });

describe('invalid model definitions', () => {
  it('unknown layer type', () => {
    const e = configError({ type: 'Sequential', layers: [dense(), { type: 'Dence', units: 3 }] });
    expect(e.message).toMatch(/layers\[1\]\.type/);
    expect(e.message).toMatch(/"Dence"/);
    expect(e.message).toMatch(/Dense/);
  });

  it('negative units', () => {
    const e = configError({ type: 'Sequential', layers: [dense({ units: -3 })] });
    expect(e.message).toMatch(/layers\[0\]\.units/);
    expect(e.message).toMatch(/received -3/);
  });

  it('a shape mismatch between layers', () => {
    const e = configError({
      type: 'Sequential',
      layers: [dense({ units: 6 }), { type: 'Reshape', targetShape: [4, 2] }],
    });
    expect(e.message).toMatch(/layers\[1\]/);
    expect(e.message).toMatch(/\(None, 6\)/);
  });

  it('unknown activation, loss and optimizer names', () => {
    const e = configError({ type: 'Sequential', layers: [dense({ activation: 'relux' })] });
    expect(e.message).toMatch(/layers\[0\]\.activation/);
    expect(e.message).toMatch(/"relux"/);
    const model = Sequential.fromDefinition({ type: 'Sequential', layers: [dense()] });
    expect(() => model.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/optimizer.*"adamm"/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'msee' })).toThrow(/loss.*"msee"/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['accuracyy'] })).toThrow(/metrics\[0\].*"accuracyy"/);
  });

  it('a wrong argument type and an unknown property', () => {
    let e = configError({ type: 'Sequential', layers: [dense({ units: '4' })] });
    expect(e.message).toMatch(/layers\[0\]\.units/);
    expect(e.message).toMatch(/received "4"/);
    e = configError({ type: 'Sequential', layers: [dense({ unitz: 4 })] });
    expect(e.message).toMatch(/layers\[0\]/);
    expect(e.message).toMatch(/unitz/);
  });

  it('a missing input shape and a misplaced Input layer', () => {
    expect(configError({ type: 'Sequential', layers: [{ type: 'Dense', units: 2 }] }).message).toMatch(/layers\[0\]\.inputShape/);
    expect(configError({ type: 'Sequential', layers: [dense(), { type: 'InputLayer', shape: [4] }] }).message).toMatch(/layers\[1\].*Input layer may only be the first/);
  });

  it('every issue carries its path and received value', () => {
    const e = configError({ type: 'Sequential', layers: [dense({ units: 0 })] });
    expect(e.issues[0]).toMatchObject({ path: 'layers[0].units', received: 0 });
  });
});

describe('bad training data is rejected before training', () => {
  const model = Sequential.fromDefinition({ type: 'Sequential', seed: 1, layers: [dense({ units: 2, activation: 'softmax' })] });
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  const before = model.saveWeights().data;

  it('NaN and Infinity name their position', async () => {
    await expect(model.fit([[1, 2, 3], [4, Number.NaN, 6]], [0, 1])).rejects.toThrow(/x\[1\]\[1\] is NaN/);
    await expect(model.fit({ shape: [2, 3], data: [1, 2, 3, 4, 5, Infinity] }, [0, 1])).rejects.toThrow(/x\[1\]\[2\] is Infinity/);
    await expect(model.fit([[1, 2, 3], [4, 5, 6]], [0, Number.NaN])).rejects.toThrow(DataError);
    // Typed arrays take a faster check first; it must find the same values.
    await expect(model.fit({ shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, -Infinity, 6) }, [0, 1])).rejects.toThrow(/x\[1\]\[1\] is -Infinity/);
    expect(() => model.trainOnBatch({ shape: [2, 3], data: Float64Array.of(Number.NaN, 2, 3, 4, 5, 6) }, [0, 1])).toThrow(/x\[0\]\[0\] is NaN/);
    // Every position of both float types, in the four-lane body of the check and in its remainder (3 × 3 = 9 values).
    for (const Type of [Float32Array, Float64Array]) {
      for (let at = 0; at < 9; at++) {
        const data = new Type(9).fill(0.5);
        data[at] = at % 2 ? Number.NaN : -Infinity;
        const path = `x\\[${Math.floor(at / 3)}\\]\\[${at % 3}\\]`;
        expect(() => model.trainOnBatch({ shape: [3, 3], data }, [0, 1, 0]), `${Type.name} at ${at}`).toThrow(new RegExp(`${path} is ${at % 2 ? 'NaN' : '-Infinity'}`));
      }
    }
    // Plain arrays keep the strict check: a numeric string is not a number.
    await expect(model.fit({ shape: [1, 3], data: [1, '2', 3] as unknown as number[] }, [0])).rejects.toThrow(/x\[0\]\[1\] is 2/);
  });

  it('trainOnBatch and predict check the batch they copy, and name the first bad value', () => {
    // 40 samples of 3: the backend's check runs 16 values a step, then the rest one by one.
    const labels = Array.from({ length: 40 }, (_, i) => i % 2);
    for (const at of [0, 15, 16, 63, 100, 119]) {
      const data = new Float32Array(120).fill(0.25);
      data[at] = Number.NaN;
      if (at < 119) data[119] = Infinity; // a later one is not the one named
      const path = `x\\[${Math.floor(at / 3)}\\]\\[${at % 3}\\] is NaN`;
      expect(() => model.trainOnBatch({ shape: [40, 3], data }, labels), `at ${at}`).toThrow(new RegExp(path));
      expect(() => model.predict({ shape: [40, 3], data }, { batchSize: 16 }), `predict, at ${at}`).toThrow(new RegExp(path));
    }
    // A float64 value float32 cannot hold becomes Infinity in the copy: rejected, not trained on.
    const big = new Float64Array(120).fill(0.25);
    big[50] = 1e300;
    expect(() => model.trainOnBatch({ shape: [40, 3], data: big }, labels)).toThrow(/x\[16\]\[2\] is 1e\+300, beyond the range of float32/);
  });

  it('wrong shapes and ragged rows', async () => {
    await expect(model.fit([[1, 2], [3, 4]], [0, 1])).rejects.toThrow(/x has per-sample shape \(2,\); the model expects \(3,\)/);
    await expect(model.fit([[1, 2, 3], [4, 5]], [0, 1])).rejects.toThrow(/x\[1\] has 2 elements; expected 3/);
    await expect(model.fit([[1, 2, 3]], [0, 1])).rejects.toThrow(/y has 2 samples but x has 1/);
    await expect(model.fit([[1, 2, 3]], [[0, 1, 0]])).rejects.toThrow(/y has per-sample shape \(3,\); the model outputs \(2,\)/);
  });

  it('nothing was trained by the rejected calls', () => {
    expect(Buffer.from(model.saveWeights().data).equals(Buffer.from(before))).toBe(true);
  });
});
