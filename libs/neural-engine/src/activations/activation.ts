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
  gradient(x: Tensor, y: Tensor, dy: Tensor, backend: Backend): Tensor;
  /** Output shape for a per-sample input shape; only `glu` changes it (halves the split axis). */
  computeOutputShape?(inputShape: Shape): Shape;
  getConfig(): ActivationConfig;
}
