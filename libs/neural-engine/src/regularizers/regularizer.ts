import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';

/** A regularizer as written in a config: a Keras name (`"l2"`) or `{type: "L1L2", l1, l2}`. */
export type RegularizerConfig = string | { type: string; [arg: string]: unknown };

/** A penalty on a weight (or on a layer's output, as an activity regularizer) added to the training loss. */
export interface Regularizer {
  readonly name: string;
  /** The penalty value for `x`. */
  penalty(x: Tensor, backend: Backend): number;
  /** grad += d penalty / dx. */
  accumulateGradient(x: Tensor, grad: Tensor, backend: Backend): void;
  getConfig(): RegularizerConfig;
}
