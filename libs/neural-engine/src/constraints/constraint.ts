import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';

/** A constraint as written in a config: a Keras name (`"non_neg"`) or `{type: "MaxNorm", maxValue, axis}`. */
export type ConstraintConfig = string | { type: string; [arg: string]: unknown };

/** A projection applied to a weight after each optimizer step (Keras kernel/bias constraints). */
export interface Constraint {
  readonly name: string;
  /** Projects `w` in place. */
  apply(w: Tensor, backend: Backend): void;
  getConfig(): ConstraintConfig;
}
