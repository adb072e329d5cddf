import type { Backend } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraint.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import type { Tensor } from '../tensor.js';

/** A layer weight with its gradient accumulator and the regularizer and constraint that apply to it. */
export class Variable {
  /** Gradient of the loss with respect to `value`, accumulated by backward passes and zeroed each step. */
  readonly grad: Tensor;

  constructor(
    /** Full name as Keras and TensorFlow.js print it: `dense_1/kernel`. Updated when the layer is renamed. */
    public name: string,
    public value: Tensor,
    backend: Backend,
    readonly trainable: boolean = true,
    readonly regularizer: Regularizer | null = null,
    readonly constraint: Constraint | null = null,
  ) {
    this.grad = backend.zeros(value.shape);
  }
}
