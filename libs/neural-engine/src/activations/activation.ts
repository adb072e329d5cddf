import type { ActivationKernel, Backend } from '../backend/backend.js';
import type { Shape, Tensor } from '../tensor.js';

/** An activation as written in a config: a Keras name (`"relu"`, any spelling) or an object with arguments. */
export type ActivationConfig = string | { type: string; [arg: string]: unknown };

/**
 * An activation function with its derivative. `apply` computes y = f(x); `gradient` returns dL/dx from dL/dy, given
 * the x and y of the forward pass (each activation uses whichever is cheaper).
 */
export interface Activation {
  /** Canonical Keras name, e.g. `relu`, `log_softmax`. */
  readonly name: string;
  /** The backend kernel computing this activation exactly, when it has one (fused kernels such as the LSTM cell use it). */
  readonly kernel?: ActivationKernel | undefined;
  apply(x: Tensor, backend: Backend): Tensor;
  /**
   * f(x) written over x, for activations whose gradient is the same when given y in place of x (those with a backend
   * kernel: relu, where y > 0 exactly where x > 0, and sigmoid and tanh, whose gradients read y only). A layer that
   * keeps x only for the gradient uses it to save a tensor the size of its output; absent for the others.
   */
  readonly applyInPlace?: ((x: Tensor, backend: Backend) => Tensor) | undefined;
  gradient(x: Tensor, y: Tensor, dy: Tensor, backend: Backend): Tensor;
  /** Output shape for a per-sample input shape; only `glu` changes it (halves the split axis). */
  computeOutputShape?(inputShape: Shape): Shape;
  getConfig(): ActivationConfig;
}
