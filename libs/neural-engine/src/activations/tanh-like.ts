import { z } from 'zod';
import { defineActivation, noParams } from './definition.js';
import { ElementwiseActivation } from './elementwise.js';

/* tanh and its relatives: hard_tanh, softsign, and the shrinkage functions (hard_shrink, soft_shrink, tanh_shrink). */

/** Keras `tanh`. */
export const tanh = defineActivation({
  name: 'tanh',
  params: noParams,
  create: () => new ElementwiseActivation('tanh', { f: Math.tanh, df: (_x, y) => 1 - y * y, kernel: 'tanh' }),
});

/** Keras `hard_tanh`: clip(x, -1, 1). */
export const hardTanh = defineActivation({
  name: 'hard_tanh',
  params: noParams,
  create: () =>
    new ElementwiseActivation('hard_tanh', { f: (x) => Math.min(Math.max(x, -1), 1), df: (x) => (x > -1 && x < 1 ? 1 : 0) }),
});

/** Keras `softsign`: x / (1 + |x|). */
export const softsign = defineActivation({
  name: 'softsign',
  params: noParams,
  create: () =>
    new ElementwiseActivation('softsign', {
      f: (x) => x / (1 + Math.abs(x)),
      df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
    }),
});

/** Keras `tanh_shrink`: x - tanh(x). */
export const tanhShrink = defineActivation({
  name: 'tanh_shrink',
  params: noParams,
  // d/dx (x - tanh x) = tanh² x.
  create: () =>
    new ElementwiseActivation('tanh_shrink', {
      f: (x) => x - Math.tanh(x),
      df: (x) => Math.tanh(x) ** 2,
    }),
});

const shrinkParams = z.object({
  /** Inputs with |x| at or below it map to 0. */
  threshold: z.number().nonnegative().optional(),
});

/** Keras `hard_shrink(x, threshold=0.5)`: x where |x| > threshold, else 0. */
export const hardShrink = defineActivation({
  name: 'hard_shrink',
  params: shrinkParams,
  create: ({ threshold = 0.5 }) =>
    new ElementwiseActivation(
      'hard_shrink',
      { f: (x) => (Math.abs(x) > threshold ? x : 0), df: (x) => (Math.abs(x) > threshold ? 1 : 0) },
      { threshold },
      { threshold: 0.5 },
    ),
});

/** Keras `soft_shrink(x, threshold=0.5)`: x moved towards 0 by threshold, 0 within it. */
export const softShrink = defineActivation({
  name: 'soft_shrink',
  params: shrinkParams,
  create: ({ threshold = 0.5 }) =>
    new ElementwiseActivation(
      'soft_shrink',
      {
        f: (x) => (x > threshold ? x - threshold : x < -threshold ? x + threshold : 0),
        df: (x) => (Math.abs(x) > threshold ? 1 : 0),
      },
      { threshold },
      { threshold: 0.5 },
    ),
});
