import { defineActivation, noParams } from './definition.js';
import { ElementwiseActivation } from './elementwise.js';
import { logSigmoid as logSigmoidFn, sigmoid as sigmoidFn } from './math.js';

/* Sigmoid-shaped squashing functions onto (0, 1), and log_sigmoid. */

/** Keras `sigmoid`: 1 / (1 + e^-x). */
export const sigmoid = defineActivation({
  name: 'sigmoid',
  params: noParams,
  create: () => new ElementwiseActivation('sigmoid', { f: sigmoidFn, df: (_x, y) => y * (1 - y), kernel: 'sigmoid' }),
});

/** Keras `log_sigmoid`: log(sigmoid(x)) = -softplus(-x). */
export const logSigmoid = defineActivation({
  name: 'log_sigmoid',
  params: noParams,
  // d/dx log σ(x) = 1 - σ(x) = σ(-x), computed directly so it stays accurate when σ(x) is close to 1.
  create: () => new ElementwiseActivation('log_sigmoid', { f: logSigmoidFn, df: (x) => sigmoidFn(-x) }),
});

/** Keras 3 `hard_sigmoid`: relu6(x + 3) / 6. */
export const hardSigmoid = defineActivation({
  name: 'hard_sigmoid',
  params: noParams,
  // Keras 3: relu6(x + 3) / 6, i.e. x/6 + 1/2 on (-3, 3). (Keras 2 and TensorFlow.js use 0.2·x + 0.5 on (-2.5, 2.5).)
  create: () =>
    new ElementwiseActivation('hard_sigmoid', {
      f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
      df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
    }),
});

/** Keras 2 / TensorFlow.js hard sigmoid, clip(0.2·x + 0.5, 0, 1). */
export const hardSigmoidKeras2 = defineActivation({
  name: 'hard_sigmoid_keras2',
  params: noParams,
  // 0.2·x + 0.5 on (-2.5, 2.5); the derivative is 0 at the corners, as for hard_sigmoid.
  create: () =>
    new ElementwiseActivation('hard_sigmoid_keras2', {
      f: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
      df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
    }),
});

/** Keras `sparse_sigmoid`: clip((x + 1) / 2, 0, 1). */
export const sparseSigmoid = defineActivation({
  name: 'sparse_sigmoid',
  params: noParams,
  // Keras 3: 0 for x ≤ -1, (x + 1)/2 on (-1, 1), 1 for x ≥ 1.
  create: () =>
    new ElementwiseActivation('sparse_sigmoid', {
      f: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
      df: (x) => (x > -1 && x < 1 ? 0.5 : 0),
    }),
});
