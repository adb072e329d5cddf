import { z } from 'zod';
import { defineActivation, noParams } from './definition.js';
import { ElementwiseActivation } from './elementwise.js';
import { sigmoid, softplus as softplusFn } from './math.js';

/* Smooth approximations of relu: softplus, sparse_plus and squareplus. */

/** Keras `softplus`: log(1 + e^x). */
export const softplus = defineActivation({
  name: 'softplus',
  params: noParams,
  create: () => new ElementwiseActivation('softplus', { f: softplusFn, df: (x) => sigmoid(x) }),
});

/** Keras `sparse_plus`: 0, (x + 1)²/4, x on x ≤ -1, (-1, 1), x ≥ 1. */
export const sparsePlus = defineActivation({
  name: 'sparse_plus',
  params: noParams,
  // Keras 3: 0 for x ≤ -1, (x + 1)²/4 on (-1, 1), x for x ≥ 1; continuously differentiable.
  create: () =>
    new ElementwiseActivation('sparse_plus', {
      f: (x) => (x <= -1 ? 0 : x >= 1 ? x : 0.25 * (x + 1) * (x + 1)),
      df: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
    }),
});

/** Keras `squareplus(x, b=4)`: (x + √(x² + b)) / 2. */
export const squareplus = defineActivation({
  name: 'squareplus',
  params: z.object({
    /** Smoothness (b = 0 gives relu); negative values would take square roots of negative numbers. */
    b: z.number().nonnegative().optional(),
  }),
  create: ({ b = 4 }) =>
    new ElementwiseActivation(
      'squareplus',
      // For b = 0 and x = 0 the derivative 0/0 is taken as relu's, 0.
      { f: (x) => 0.5 * (x + Math.sqrt(x * x + b)), df: (x) => (b === 0 && x === 0 ? 0 : 0.5 * (1 + x / Math.sqrt(x * x + b))) },
      { b },
      { b: 4 },
    ),
});
