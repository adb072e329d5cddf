import { z } from 'zod';
import { defineActivation, noParams } from './definition.js';
import { ElementwiseActivation } from './elementwise.js';

/* The exponential family: elu, celu, selu (expm1 keeps small negative inputs exact) and exponential. */

/** SELU's alpha (Klambauer et al., 2017), as Keras uses it. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** SELU's scale (Klambauer et al., 2017), as Keras uses it. */
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** Keras `elu(x, alpha=1)`: x for x > 0, alpha·(e^x - 1) otherwise. */
export const elu = defineActivation({
  name: 'elu',
  params: z.object({ alpha: z.number().optional() }),
  create: ({ alpha = 1 }) =>
    new ElementwiseActivation(
      'elu',
      // For x ≤ 0, d/dx alpha·(e^x - 1) = alpha·e^x = y + alpha.
      { f: (x) => (x > 0 ? x : alpha * Math.expm1(x)), df: (x, y) => (x > 0 ? 1 : y + alpha) },
      { alpha },
      { alpha: 1 },
    ),
});

/** Keras `celu(x, alpha=1)`: x for x ≥ 0, alpha·(e^(x/alpha) - 1) otherwise. */
export const celu = defineActivation({
  name: 'celu',
  params: z.object({ alpha: z.number().refine((a) => a !== 0, 'alpha must not be 0 (celu divides by it)').optional() }),
  create: ({ alpha = 1 }) =>
    new ElementwiseActivation(
      'celu',
      { f: (x) => (x >= 0 ? x : alpha * Math.expm1(x / alpha)), df: (x) => (x >= 0 ? 1 : Math.exp(x / alpha)) },
      { alpha },
      { alpha: 1 },
    ),
});

/** Keras `selu`: SELU_SCALE·elu(x, SELU_ALPHA). */
export const selu = defineActivation({
  name: 'selu',
  params: noParams,
  create: () =>
    new ElementwiseActivation('selu', {
      f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
      df: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
    }),
});

/** Keras `exponential`: e^x. */
export const exponential = defineActivation({
  name: 'exponential',
  params: noParams,
  create: () => new ElementwiseActivation('exponential', { f: Math.exp, df: (_x, y) => y }),
});
