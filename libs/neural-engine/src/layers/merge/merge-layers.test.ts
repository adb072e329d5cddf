import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Shape, Tensor } from '../../tensor.js';
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';
import { Add } from './add.js';
import { Concatenate } from './concatenate.js';
import { Dot } from './dot.js';
import { NORM_EPSILON } from './l2-normalize.js';

/*
 * Merge layers by hand: shape errors (ConfigErrors naming the layer and listing the received shapes), the one-tensor
 * API refused, configs, masks, and outputs and gradients worked out on paper (ties, zero inputs, cosine proximity).
 */

/** The ConfigError thrown by `fn` (fails the test if it throws anything else or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const context = () => ({ backend, rng: new Rng(1) });

function built(config: LayerConfig, inputShapes: Shape[]): Layer {
  const layer = createLayer(config);
  layer.buildMany(inputShapes, context());
  return layer;
}

/** Runs a training call on batch-1 inputs given as flat values, and the backward of dy. */
function run(layer: Layer, inputs: number[][], dy?: number[]): { y: Tensor; dxs: Tensor[] } {
  const xs = layer.inputShapes.map((s, k) => backend.fromValues([1, ...s], inputs[k]!));
  const [y] = layer.callMany(xs, true) as [Tensor];
  const dxs = dy ? layer.callBackwardMany([backend.fromValues(y.shape, dy)]) : [];
  return { y, dxs };
}

describe('merge layer shape errors name the layer and list the received shapes', () => {
  it.each([
    ['Add with one input', { type: 'Add', name: 'add_1' }, [[3]], 'layer "add_1" (Add): takes a list of at least 2 inputs, got 1 (use it in a functional model); received (None, 3)'],
    ['Add with mismatched shapes', { type: 'Add', name: 'add_1' }, [[3], [4]], 'layer "add_1" (Add): inputs must have the same shape, or sizes of 1 where they differ (broadcasting); received (None, 3), (None, 4)'],
    ['Multiply with shapes that do not broadcast', { type: 'Multiply', name: 'm' }, [[2, 3], [3, 3]], 'layer "m" (Multiply): inputs must have the same shape, or sizes of 1 where they differ (broadcasting); received (None, 2, 3), (None, 3, 3)'],
    ['Maximum with one input', { type: 'Maximum', name: 'mx' }, [[2]], 'layer "mx" (Maximum): takes a list of at least 2 inputs, got 1 (use it in a functional model); received (None, 2)'],
    ['Subtract with 3 inputs', { type: 'Subtract', name: 'sub' }, [[2], [2], [2]], 'layer "sub" (Subtract): takes a list of exactly 2 inputs, got 3; received (None, 2), (None, 2), (None, 2)'],
    ['Concatenate mismatch on a non-concat axis', { type: 'Concatenate', name: 'cat' }, [[2, 3], [3, 1]], 'layer "cat" (Concatenate): inputs must have the same shape except on the concatenation axis -1; received (None, 2, 3), (None, 3, 1)'],
    ['Concatenate axis 1 mismatch on the last axis', { type: 'Concatenate', name: 'cat', axis: 1 }, [[2, 3], [2, 4]], 'layer "cat" (Concatenate): inputs must have the same shape except on the concatenation axis 1; received (None, 2, 3), (None, 2, 4)'],
    ['Concatenate of different ranks', { type: 'Concatenate', name: 'cat' }, [[2, 3], [3]], 'layer "cat" (Concatenate): inputs must have the same rank; received (None, 2, 3), (None, 3)'],
    ['Concatenate axis out of range', { type: 'Concatenate', name: 'cat', axis: 3 }, [[2], [2]], 'layer "cat" (Concatenate): axis 3 is out of range for inputs of rank 2 (batch axis included; valid: 1..1 or -1..-1); received (None, 2), (None, 2)'],
    ['Dot axes out of range', { type: 'Dot', name: 'dot', axes: 3 }, [[2, 3], [2, 3]], 'layer "dot" (Dot): axes 3 are out of range for input 0 of rank 3 (batch axis included; valid: 1..2 or -2..-1); received (None, 2, 3), (None, 2, 3)'],
    ['Dot over the batch axis', { type: 'Dot', name: 'dot', axes: 0 }, [[3], [3]], 'layer "dot" (Dot): axes 0 are out of range for input 0 of rank 2 (batch axis included; valid: 1..1 or -1..-1); received (None, 3), (None, 3)'],
    ['Dot second axis out of range', { type: 'Dot', name: 'dot', axes: [1, -3] }, [[3], [3, 2]], 'layer "dot" (Dot): axes [1,-3] are out of range for input 1 of rank 3 (batch axis included; valid: 1..2 or -2..-1); received (None, 3), (None, 3, 2)'],
    ['Dot axes of different sizes', { type: 'Dot', name: 'dot', axes: [1, 2] }, [[3, 2], [3, 2]], 'layer "dot" (Dot): the dot axes have different sizes: 3 (axis 1 of input 0) != 2 (axis 2 of input 1); received (None, 3, 2), (None, 3, 2)'],
    ['Dot with 3 inputs', { type: 'Dot', name: 'dot', axes: 1 }, [[3], [3], [3]], 'layer "dot" (Dot): takes a list of exactly 2 inputs, got 3; received (None, 3), (None, 3), (None, 3)'],
  ] as [string, LayerConfig, Shape[], string][])('%s', (_label, config, inputShapes, message) => {
    const layer = createLayer(config);
    const error = configError(() => layer.buildMany(inputShapes, context()));
    expect(error.message).toBe(message);
    expect(error.issues[0]?.path).toBe(config.name);
    // computeOutputShapes, which graph builders call first, throws the same error.
    expect(configError(() => layer.computeOutputShapes(inputShapes)).message).toBe(message);
  });

  it('names an unnamed layer by its class', () => {
    const error = configError(() => new Add().computeOutputShapes([[3], [4]]));
    expect(error.message).toMatch(/^Add layer: inputs must have the same shape.*; received \(None, 3\), \(None, 4\)$/);
  });
});

describe('merge layer configs', () => {
  it('rejects Concatenate over the batch axis (axis 0)', () => {
    const error = configError(() => createLayer({ type: 'Concatenate', axis: 0 }));
    expect(error.message).toContain('axis: axis 0 is the batch axis');
    expect(error.message).toContain('(received 0)');
  });

  it('requires Dot axes, as Keras does, and rejects malformed ones', () => {
    expect(configError(() => createLayer({ type: 'Dot' })).message).toMatch(/^axes: /);
    expect(configError(() => createLayer({ type: 'Dot', axes: [1, 2, 3] })).message).toContain('axes');
    expect(configError(() => createLayer({ type: 'Dot', axes: 1.5 })).message).toContain('(received 1.5)');
    expect(configError(() => createLayer({ type: 'Dot', axes: 1, normalize: 'yes' })).message).toContain('normalize');
  });

  it('rejects unknown properties (strict schemas)', () => {
    for (const type of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate']) {
      expect(configError(() => createLayer({ type, axes: 1 })).message).toContain('axes');
    }
    expect(configError(() => createLayer({ type: 'Dot', axes: 1, axis: 1 })).message).toContain('axis');
  });

  it('reports Keras defaults in getConfig, which round-trips', () => {
    expect(createLayer({ type: 'Add', name: 'a' }).getConfig()).toEqual({ type: 'Add', name: 'a' });
    expect(new Concatenate().getConfig()).toEqual({ type: 'Concatenate', axis: -1 });
    expect(new Dot({ axes: [1, 2] }).getConfig()).toEqual({ type: 'Dot', axes: [1, 2], normalize: false });
    const configs: LayerConfig[] = [
      { type: 'Maximum', name: 'mx', trainable: false },
      { type: 'Concatenate', name: 'c', axis: 2 },
      { type: 'Dot', name: 'd', axes: -1, normalize: true },
    ];
    for (const config of configs) {
      expect(createLayer(createLayer(config).getConfig()).getConfig()).toEqual(config);
    }
  });
});

describe('merge layers refuse the one-tensor API', () => {
  it.each(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot'])('%s', (type) => {
    const layer = createLayer({ type, name: 'm', ...(type === 'Dot' ? { axes: 1 } : {}) });
    const hint = `${type} takes a list of inputs; use it in a functional model`;
    expect(configError(() => layer.computeOutputShape([3])).message).toBe(`layer "m" (${type}): ${hint}; received (None, 3)`);
    // build (what a Sequential model calls) goes through computeOutputShapes with one shape.
    expect(configError(() => layer.build([3], context())).message).toContain('(use it in a functional model)');
    const x = backend.zeros([1, 3]);
    expect(() => layer.call(x, false)).toThrow(hint);
    expect(() => layer.backward(x)).toThrow(hint);
  });
});

describe('merge layers pass no mask', () => {
  it('computeOutputMask is null even when an input mask is set', () => {
    const layer = built({ type: 'Concatenate' }, [[2, 3], [2, 3]]);
    expect(layer.supportsMasking).toBe(false);
    layer.inputMask = backend.fromValues([1, 2], [1, 0]);
    run(layer, [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]);
    expect(layer.computeOutputMask()).toBeNull();
  });
});

describe('merge layer values by hand', () => {
  it('Add, Subtract, Multiply, Average of small vectors', () => {
    const a = [1, -2, 0];
    const b = [3, 4, -5];
    const c = [2, 0.5, 7];
    expect(Array.from(run(built({ type: 'Add' }, [[3], [3], [3]]), [a, b, c]).y.data)).toEqual([6, 2.5, 2]);
    expect(Array.from(run(built({ type: 'Subtract' }, [[3], [3]]), [a, b]).y.data)).toEqual([-2, -6, 5]);
    expect(Array.from(run(built({ type: 'Multiply' }, [[3], [3], [3]]), [a, b, c]).y.data)).toEqual([6, -4, -0]);
    expect(Array.from(run(built({ type: 'Average' }, [[3], [3], [3]]), [a, b, c]).y.data)).toEqual([2, 2.5 / 3, 2 / 3]);
  });

  it('broadcasts a size-1 axis and a lower-rank input, summing their gradients back', () => {
    // (2, 3) + (1, 3) + (3,): the second input is added to both rows, the third too.
    const layer = built({ type: 'Add' }, [[2, 3], [1, 3], [3]]);
    const { y, dxs } = run(layer, [[1, 2, 3, 4, 5, 6], [10, 20, 30], [100, 200, 300]], [1, 2, 3, 4, 5, 6]);
    expect(y.shape).toEqual([1, 2, 3]);
    expect(Array.from(y.data)).toEqual([111, 222, 333, 114, 225, 336]);
    expect(dxs.map((d) => d.shape)).toEqual([[1, 2, 3], [1, 1, 3], [1, 3]]);
    expect(Array.from(dxs[0]!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(dxs[1]!.data)).toEqual([5, 7, 9]);
    expect(Array.from(dxs[2]!.data)).toEqual([5, 7, 9]);
  });

  it('Multiply gives exact gradients at zero inputs (a product of the others, not y / x)', () => {
    const layer = built({ type: 'Multiply' }, [[2], [2], [2]]);
    const { dxs } = run(layer, [[0, 0], [0, 2], [3, 3]], [1, 1]);
    expect(Array.from(dxs[0]!.data)).toEqual([0, 6]);
    expect(Array.from(dxs[1]!.data)).toEqual([0, 0]);
    expect(Array.from(dxs[2]!.data)).toEqual([0, 0]);
  });

  it('Maximum and Minimum send the gradient to the first input holding the extreme on exact ties (TF rule)', () => {
    const inputs = [
      [1, 5, 2, 0],
      [1, 5, 3, -1],
      [0, 5, 3, -1],
    ];
    const max = run(built({ type: 'Maximum' }, [[4], [4], [4]]), inputs, [1, 2, 3, 4]);
    expect(Array.from(max.y.data)).toEqual([1, 5, 3, 0]);
    expect(max.dxs.map((d) => Array.from(d.data))).toEqual([
      [1, 2, 0, 4],
      [0, 0, 3, 0],
      [0, 0, 0, 0],
    ]);
    const min = run(built({ type: 'Minimum' }, [[4], [4], [4]]), inputs, [1, 2, 3, 4]);
    expect(Array.from(min.y.data)).toEqual([0, 5, 2, -1]);
    expect(min.dxs.map((d) => Array.from(d.data))).toEqual([
      [0, 2, 3, 0],
      [0, 0, 0, 4],
      [1, 0, 0, 0],
    ]);
  });

  it('Maximum and Minimum propagate NaN, as tf.maximum and tf.minimum do', () => {
    expect(Number.isNaN(run(built({ type: 'Maximum' }, [[1], [1]]), [[1], [Number.NaN]]).y.data[0])).toBe(true);
    expect(Number.isNaN(run(built({ type: 'Minimum' }, [[1], [1]]), [[Number.NaN], [1]]).y.data[0])).toBe(true);
  });

  it('Concatenate on axis 1 and on the last axis', () => {
    const a = [1, 2, 3, 4]; // (2, 2)
    const b = [5, 6]; // (1, 2) on axis 1, (2, 1) on axis -1
    const rows = run(built({ type: 'Concatenate', axis: 1 }, [[2, 2], [1, 2]]), [a, b], [1, 2, 3, 4, 5, 6]);
    expect(rows.y.shape).toEqual([1, 3, 2]);
    expect(Array.from(rows.y.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.dxs.map((d) => Array.from(d.data))).toEqual([[1, 2, 3, 4], [5, 6]]);
    const cols = run(built({ type: 'Concatenate' }, [[2, 2], [2, 1]]), [a, b], [1, 2, 3, 4, 5, 6]);
    expect(cols.y.shape).toEqual([1, 2, 3]);
    expect(Array.from(cols.y.data)).toEqual([1, 2, 5, 3, 4, 6]);
    expect(cols.dxs.map((d) => Array.from(d.data))).toEqual([[1, 2, 4, 5], [3, 6]]);
  });

  it('Dot of two vectors is (batch, 1); of 3-D inputs with axes [2, 1] a batched matrix product', () => {
    const v = run(built({ type: 'Dot', axes: 1 }, [[3], [3]]), [[1, 2, 3], [4, 5, 6]], [2]);
    expect(v.y.shape).toEqual([1, 1]);
    expect(Array.from(v.y.data)).toEqual([32]);
    expect(v.dxs.map((d) => Array.from(d.data))).toEqual([[8, 10, 12], [2, 4, 6]]);
    // [[1, 2], [3, 4]] · [[5, 6, 7], [8, 9, 10]] = [[21, 24, 27], [47, 54, 61]].
    const m = run(built({ type: 'Dot', axes: [2, 1] }, [[2, 2], [2, 3]]), [[1, 2, 3, 4], [5, 6, 7, 8, 9, 10]]);
    expect(m.y.shape).toEqual([1, 2, 3]);
    expect(Array.from(m.y.data)).toEqual([21, 24, 27, 47, 54, 61]);
    // axes [1, 1] contracts the rows: xᵀ·y = [[1·5 + 3·8, ...], ...].
    const t = run(built({ type: 'Dot', axes: [1, 1] }, [[2, 2], [2, 3]]), [[1, 2, 3, 4], [5, 6, 7, 8, 9, 10]]);
    expect(Array.from(t.y.data)).toEqual([29, 33, 37, 42, 48, 54]);
  });

  it('Dot with normalize is the cosine proximity', () => {
    const { y } = run(built({ type: 'Dot', axes: 1, normalize: true }, [[2], [2]]), [[3, 4], [4, 3]]);
    expect(y.data[0]).toBeCloseTo(24 / 25, 14);
    const same = run(built({ type: 'Dot', axes: -1, normalize: true }, [[3], [3]]), [[-1, 2, 5], [-2, 4, 10]]);
    expect(same.y.data[0]).toBeCloseTo(1, 14);
  });

  it('Dot with normalize bounds a tiny norm by epsilon (Keras x / max(‖x‖, 1e-7)), with the matching gradient', () => {
    // ‖x1‖ ≈ 2.2e-9 < ε, so x̂1 = x1 / ε; x̂2 = (1, 2, 2) / 3. y = x̂1·x̂2 = (1e-2 - 4e-2) / 3 = -0.01, and
    // dy/dx1 = x̂2 / ε while x1 stays in that region.
    const layer = built({ type: 'Dot', axes: 1, normalize: true }, [[3], [3]]);
    const { y, dxs } = run(layer, [[1e-9, -2e-9, 0], [1, 2, 2]], [1]);
    expect(NORM_EPSILON).toBe(1e-7);
    expect(y.data[0]).toBeCloseTo(-0.01, 12);
    const expected = [1 / 3, 2 / 3, 2 / 3].map((v) => v / NORM_EPSILON);
    Array.from(dxs[0]!.data).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 3));
  });

  it('backward after an inference-only call is an error, not stale gradients', () => {
    for (const config of [{ type: 'Add' }, { type: 'Concatenate' }, { type: 'Dot', axes: 1 }] as LayerConfig[]) {
      const layer = built(config, [[2], [2]]);
      const xs = [backend.fromValues([1, 2], [1, 2]), backend.fromValues([1, 2], [3, 4])];
      const [y] = layer.callMany(xs, false) as [Tensor];
      expect(() => layer.callBackwardMany([y])).toThrow('backward called before a training forward');
    }
  });

  it('rejects inputs with different batch sizes', () => {
    const layer = built({ type: 'Add' }, [[2], [2]]);
    const xs = [backend.zeros([2, 2]), backend.zeros([3, 2])];
    expect(() => layer.callMany(xs, false)).toThrow('inputs have different batch sizes: 2, 3');
  });
});

describe('rebuilding', () => {
  it('an element-wise merge rebuilt on other shapes broadcasts by the new shapes', () => {
    const layer = built({ type: 'Add' }, [[2, 2], [1, 2]]);
    expect(Array.from(run(layer, [[1, 2, 3, 4], [10, 20]]).y.data)).toEqual([11, 22, 13, 24]);
    layer.buildMany([[2, 2], [2, 1]], context());
    expect(Array.from(run(layer, [[1, 2, 3, 4], [10, 20]]).y.data)).toEqual([11, 12, 23, 24]);
  });
});
