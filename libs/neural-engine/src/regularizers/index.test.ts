import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { float64Backend as b } from '../testing/gradient-check.js';
import { getRegularizer, regularizerRegistry, regularizerSchema } from './index.js';

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

describe('regularizer registry and getRegularizer', () => {
  it('knows exactly the Keras identifiers, in any spelling', () => {
    expect(regularizerRegistry.names()).toEqual(['l1', 'l1_l2', 'l2', 'orthogonal_regularizer']);
    expect(getRegularizer('L1L2').name).toBe('L1L2');
    expect(getRegularizer('l1_l2').name).toBe('L1L2');
    expect(getRegularizer('orthogonalRegularizer').name).toBe('OrthogonalRegularizer');
    expect(getRegularizer('L2').name).toBe('L2');
  });

  it('builds names with the class defaults, as Keras 3 does (l1_l2 is L1L2() with l1 = l2 = 0)', () => {
    expect(getRegularizer('l1').getConfig()).toEqual({ type: 'L1', l1: 0.01 });
    expect(getRegularizer('l2').getConfig()).toEqual({ type: 'L2', l2: 0.01 });
    expect(getRegularizer('l1_l2').getConfig()).toEqual({ type: 'L1L2', l1: 0, l2: 0 });
    expect(getRegularizer('orthogonal_regularizer').getConfig()).toEqual({ type: 'OrthogonalRegularizer', factor: 0.01, mode: 'rows' });
  });

  it('round-trips getConfig for every class with the same penalty', () => {
    const x = b.fromValues([3, 2], [1, -2, 0, 0.5, 3, -1]);
    for (const config of [
      { type: 'L1', l1: 0.2 },
      { type: 'L2', l2: 0.3 },
      { type: 'L1L2', l1: 0.1, l2: 0.4 },
      { type: 'OrthogonalRegularizer', factor: 0.5, mode: 'columns' },
    ]) {
      const reg = getRegularizer(config);
      expect(reg.getConfig()).toEqual(config);
      const again = getRegularizer(reg.getConfig());
      expect(again.getConfig()).toEqual(config);
      expect(again.penalty(x, b)).toBe(reg.penalty(x, b));
    }
  });

  it('rejects a wrong argument type, naming the path and value: {type: "L2", l2: "big"}', () => {
    const e = configError(() => getRegularizer({ type: 'L2', l2: 'big' }, ['kernelRegularizer']));
    expect(e.issues[0]).toMatchObject({ path: 'kernelRegularizer.l2', received: 'big' });
    expect(e.message).toMatch(/^kernelRegularizer\.l2: .*\(received "big"\)/);
  });

  it('rejects negative or non-finite factors (Keras validate_float_arg)', () => {
    expect(configError(() => getRegularizer({ type: 'L1', l1: -0.1 })).issues[0]).toMatchObject({ path: 'l1', received: -0.1 });
    expect(configError(() => getRegularizer({ type: 'L1L2', l2: Infinity })).issues[0]?.path).toBe('l2');
    expect(configError(() => getRegularizer({ type: 'OrthogonalRegularizer', mode: 'diagonal' })).issues[0]).toMatchObject({
      path: 'mode',
      received: 'diagonal',
    });
  });

  it('rejects unknown names, types and properties', () => {
    expect(configError(() => getRegularizer('l3')).message).toContain('"l3"');
    expect(configError(() => getRegularizer({ type: 'L3' })).issues[0]).toMatchObject({ path: 'type', received: 'L3' });
    // L2 has no l1: strict objects reject it rather than silently ignoring it.
    expect(configError(() => getRegularizer({ type: 'L2', l1: 0.1 })).issues[0]).toMatchObject({ path: 'l1', received: 0.1 });
    expect(configError(() => getRegularizer(0.01)).message).toContain('regularizer');
  });

  it('keeps full paths when nested in a layer schema', () => {
    const layer = z.object({ biasRegularizer: regularizerSchema.nullable().optional() }).strict();
    expect(parseConfig(layer, { biasRegularizer: null })).toEqual({ biasRegularizer: null });
    const e = configError(() => parseConfig(layer, { biasRegularizer: { type: 'L1L2', l1: 'x' } }, ['layers', 1]));
    expect(e.issues[0]).toMatchObject({ path: 'layers[1].biasRegularizer.l1', received: 'x' });
  });
});
