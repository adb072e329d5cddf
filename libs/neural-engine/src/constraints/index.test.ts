import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { float64Backend as b } from '../testing/gradient-check.js';
import { constraintRegistry, getConstraint } from './index.js';

/** The ConfigError thrown by `f`, failing the test when nothing (or something else) is thrown. */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('constraint registry and getConstraint', () => {
  it('knows the Keras identifiers, including the legacy maxnorm/nonneg/unitnorm spellings', () => {
    expect(constraintRegistry.names()).toEqual(['max_norm', 'min_max_norm', 'non_neg', 'unit_norm']);
    expect(getConstraint('maxnorm').name).toBe('MaxNorm');
    expect(getConstraint('nonneg').name).toBe('NonNeg');
    expect(getConstraint('unitnorm').name).toBe('UnitNorm');
    expect(getConstraint('MinMaxNorm').name).toBe('MinMaxNorm');
  });

  it('builds names with Keras defaults', () => {
    expect(getConstraint('max_norm').getConfig()).toEqual({ type: 'MaxNorm', maxValue: 2, axis: 0 });
    expect(getConstraint('min_max_norm').getConfig()).toEqual({ type: 'MinMaxNorm', minValue: 0, maxValue: 1, rate: 1, axis: 0 });
    expect(getConstraint('unit_norm').getConfig()).toEqual({ type: 'UnitNorm', axis: 0 });
    expect(getConstraint('non_neg').getConfig()).toEqual({ type: 'NonNeg' });
  });

  it('round-trips getConfig for every class with the same projection', () => {
    for (const config of [
      { type: 'MaxNorm', maxValue: 1.5, axis: [0, 1] },
      { type: 'MinMaxNorm', minValue: 0.5, maxValue: 2, rate: 0.3, axis: -1 },
      { type: 'NonNeg' },
      { type: 'UnitNorm', axis: 1 },
    ]) {
      const c = getConstraint(config);
      expect(c.getConfig()).toEqual(config);
      const again = getConstraint(c.getConfig());
      const w1 = b.fromValues([2, 3], [1, -2, 3, 0.5, 4, -1]);
      const w2 = b.clone(w1);
      c.apply(w1, b);
      again.apply(w2, b);
      expect(Array.from(w2.data)).toEqual(Array.from(w1.data));
    }
  });

  it('getConfig does not share the axis array with the instance', () => {
    const c = getConstraint({ type: 'UnitNorm', axis: [0, 1] });
    (c.getConfig() as unknown as { axis: number[] }).axis.push(5);
    expect(c.getConfig()).toEqual({ type: 'UnitNorm', axis: [0, 1] });
  });

  it('rejects wrong argument types and values, naming the path and value', () => {
    const e = configError(() => getConstraint({ type: 'MaxNorm', maxValue: 'big' }, ['kernelConstraint']));
    expect(e.issues[0]).toMatchObject({ path: 'kernelConstraint.maxValue', received: 'big' });
    expect(e.message).toContain('(received "big")');
    expect(configError(() => getConstraint({ type: 'UnitNorm', axis: 0.5 })).issues[0]).toMatchObject({ path: 'axis', received: 0.5 });
    expect(configError(() => getConstraint({ type: 'MinMaxNorm', rate: 2 })).issues[0]).toMatchObject({ path: 'rate', received: 2 });
    expect(configError(() => getConstraint({ type: 'MinMaxNorm', minValue: 3, maxValue: 1 })).issues[0]?.path).toBe('maxValue');
  });

  it('rejects unknown names, types and properties', () => {
    expect(configError(() => getConstraint('clip')).message).toContain('"clip"');
    expect(configError(() => getConstraint({ type: 'Clip' })).issues[0]).toMatchObject({ path: 'type', received: 'Clip' });
    expect(configError(() => getConstraint({ type: 'NonNeg', axis: 0 })).issues[0]).toMatchObject({ path: 'axis', received: 0 });
    expect(configError(() => getConstraint({ maxValue: 2 })).issues[0]?.path).toBe('type');
  });
});
