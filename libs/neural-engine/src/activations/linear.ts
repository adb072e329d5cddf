import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { Activation, ActivationConfig } from './activation.js';
import { defineActivation, noParams } from './definition.js';

/** The identity. It returns copies so that a caller writing into its output never changes its input. */
class Linear implements Activation {
  readonly name = 'linear';
  apply(x: Tensor, backend: Backend): Tensor {
    return backend.clone(x);
  }
  gradient(_x: Tensor, _y: Tensor, dy: Tensor, backend: Backend): Tensor {
    return backend.clone(dy);
  }
  getConfig(): ActivationConfig {
    return 'linear';
  }
}

/** Keras `linear`: the identity. */
export const linear = defineActivation({ name: 'linear', params: noParams, create: () => new Linear() });
