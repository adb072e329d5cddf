import { Registry } from '../identifiers.js';
import type { ActivationDefinition } from './definition.js';
import { celu, elu, exponential, selu } from './exponential-linear.js';
import { glu } from './glu.js';
import { linear } from './linear.js';
import { leakyRelu, relu, relu6, threshold } from './rectifiers.js';
import { gelu, hardSilu, mish, silu } from './self-gated.js';
import { hardSigmoid, hardSigmoidKeras2, logSigmoid, sigmoid, sparseSigmoid } from './sigmoids.js';
import { softplus, sparsePlus, squareplus } from './smooth-rectifiers.js';
import { logSoftmax, softmax } from './softmax.js';
import { sparsemax } from './sparsemax.js';
import { hardShrink, hardTanh, softShrink, softsign, tanh, tanhShrink } from './tanh-like.js';

/**
 * Every Keras 3 activation, keyed by its snake_case Keras name (plus the aliases `swish` and `hard_swish`), and
 * `hard_sigmoid_keras2` (the Keras 2 / TensorFlow.js hard sigmoid, for imported models).
 */
export const activationRegistry = new Registry<ActivationDefinition>('activation');

for (const definition of [
  celu, elu, exponential, gelu, glu, hardShrink, hardSigmoid, hardSigmoidKeras2, hardSilu, hardTanh, leakyRelu, linear, logSigmoid,
  logSoftmax, mish, relu, relu6, selu, sigmoid, silu, softShrink, softmax, softplus, softsign, sparsePlus,
  sparseSigmoid, sparsemax, squareplus, tanh, tanhShrink, threshold,
]) {
  activationRegistry.register(definition.name, definition, definition.aliases);
}
