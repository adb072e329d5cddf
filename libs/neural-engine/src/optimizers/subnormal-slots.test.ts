import { describe, expect, it } from 'vitest';
import { float64Backend } from '../testing/gradient-check.js';
import { testBackend } from '../testing/test-backend.js';

// The float32 optimizer rules store a slot value that falls among the subnormals as a zero of its sign (computing on
// subnormals takes x86's slow path; TensorFlow flushes them on the CPU); float64 storage keeps every value.

describe('optimizer slots and subnormals', () => {
  const adam = { alpha: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

  it('Adam: a first moment decaying below 2^-126 is stored as ±0 in float32, kept in float64', () => {
    for (const [backend, expected] of [[testBackend(), [0, -0, 2e-38]], [float64Backend, [1.08e-38, -1.08e-38, 2e-38]]] as const) {
      const w = backend.fromValues([3], [0.5, 0.5, 0.5]);
      const g = backend.fromValues([3], [0, 0, 0]);
      // 1.2e-38 · 0.9 = 1.08e-38 is subnormal in float32; 2.2e-38 · 0.9 = 1.98e-38 is not.
      const m = backend.fromValues([3], [1.2e-38, -1.2e-38, 2.2e-38]);
      const v = backend.fromValues([3], [1e-6, 1e-6, 1e-6]);
      backend.optimizerUpdate('adam', w, g, [m, v, null], adam);
      const stored = Array.from(m.data);
      expect(Object.is(stored[0], expected[0]) || Math.abs(stored[0]! - expected[0]) < 1e-45, `${backend.dtype} m[0] = ${stored[0]}`).toBe(true);
      expect(Object.is(stored[1], expected[1]) || Math.abs(stored[1]! - expected[1]) < 1e-45, `${backend.dtype} m[1] = ${stored[1]}`).toBe(true);
      expect(stored[2]).toBeCloseTo(1.98e-38, 44);
    }
  });

  it('RMSprop with momentum: the momentum slot flushes the same way, NaN stays NaN', () => {
    const b = testBackend();
    const w = b.fromValues([2], [0.5, 0.5]);
    const g = b.fromValues([2], [0, Number.NaN]);
    const velocity = b.fromValues([2], [1, 1]);
    const momentum = b.fromValues([2], [1.2e-38, 1]);
    b.optimizerUpdate('rmsprop', w, g, [velocity, momentum, null], { lr: 0.001, rho: 0.9, momentum: 0.9, epsilon: 1e-7 });
    expect(Object.is(momentum.data[0], 0)).toBe(true);
    expect(momentum.data[1]).toBeNaN();
  });
});
