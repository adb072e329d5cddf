import { z } from 'zod';
import { defineActivation, noParams } from './definition.js';
import { ElementwiseActivation } from './elementwise.js';
import { normalCdf, normalPdf, sigmoid, softplus } from './math.js';

/* Self-gated activations x·g(x): silu (swish), hard_silu (hard_swish), mish and gelu. */

/** Keras `silu` (alias `swish`): x·sigmoid(x). */
export const silu = defineActivation({
  name: 'silu',
  aliases: ['swish'],
  params: noParams,
  create: () =>
    new ElementwiseActivation('silu', {
      f: (x) => x * sigmoid(x),
      // d/dx x·σ(x) = σ(x)·(1 + x·(1 - σ(x))).
      df: (x) => {
        const s = sigmoid(x);
        return s * (1 + x * (1 - s));
      },
    }),
});

/** Keras `hard_silu` (alias `hard_swish`): x·hard_sigmoid(x). */
export const hardSilu = defineActivation({
  name: 'hard_silu',
  aliases: ['hard_swish'],
  params: noParams,
  // x · hard_sigmoid(x): 0 below -3, x above 3, x·(x + 3)/6 between (derivative (2x + 3)/6).
  create: () =>
    new ElementwiseActivation('hard_silu', {
      f: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
      df: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6),
    }),
});

/** Keras `mish`: x·tanh(softplus(x)). */
export const mish = defineActivation({
  name: 'mish',
  params: noParams,
  create: () =>
    new ElementwiseActivation('mish', {
      f: (x) => x * Math.tanh(softplus(x)),
      // d/dx x·tanh(sp(x)) = tanh(sp(x)) + x·(1 - tanh²(sp(x)))·σ(x), since sp'(x) = σ(x).
      df: (x) => {
        const t = Math.tanh(softplus(x));
        return t + x * (1 - t * t) * sigmoid(x);
      },
    }),
});

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** Keras `gelu(x, approximate=False)`: x·Φ(x), or its tanh approximation. */
export const gelu = defineActivation({
  name: 'gelu',
  params: z.object({
    /** Use the tanh approximation instead of the exact x·Φ(x). Keras 3 `keras.activations.gelu` defaults to false. */
    approximate: z.boolean().optional(),
  }),
  create: ({ approximate = false }) =>
    new ElementwiseActivation(
      'gelu',
      approximate
        ? {
            f: (x) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x))),
            df: (x) => {
              const t = Math.tanh(GELU_C * (x + GELU_K * x * x * x));
              return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x);
            },
          }
        : { f: (x) => x * normalCdf(x), df: (x) => normalCdf(x) + x * normalPdf(x) },
      { approximate },
      { approximate: false },
    ),
});
