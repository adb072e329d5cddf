import type { Backend } from '../backend/backend.js';
import type { Variable } from '../layers/variable.js';
import type { FloatArray } from '../tensor.js';

/** An optimizer as written in a config: a Keras name (`"adam"`) or `{type: "Adam", learningRate, ...}`. */
export type OptimizerConfig = string | { type: string; [arg: string]: unknown };

/** A learning-rate schedule as written in a config: `{type: "ExponentialDecay", initialLearningRate, ...}`. */
export type ScheduleConfig = { type: string; [arg: string]: unknown };

/** Learning rate as a function of the optimizer's step (Keras LearningRateSchedule). */
export interface LearningRateSchedule {
  readonly name: string;
  /** Learning rate at `step` (the optimizer's iteration count before the update, starting at 0). */
  at(step: number): number;
  getConfig(): ScheduleConfig;
}

/** Everything an optimizer needs to continue exactly where it stopped: its step count and its slot arrays. */
export interface OptimizerState {
  iterations: number;
  /** Slot arrays (moments, accumulators, EMA copies...) in a stable order defined by the optimizer. */
  arrays: FloatArray[];
}

/**
 * The interface the training loop uses. Implementations share one base class that runs the step (iterations,
 * gradient accumulation, clipping, weight decay, schedules, EMA); each optimizer declares only its slots and update.
 */
export interface Optimizer {
  /** Canonical Keras name, e.g. `adam`. */
  readonly name: string;
  /** Steps applied so far (Keras `optimizer.iterations`). */
  readonly iterations: number;
  /** Learning rate for the next step. Setting it is allowed only when it is a constant (not a schedule). */
  learningRate: number;
  /** Creates slots for these variables; called once before the first step (and before setState). */
  build(variables: readonly Variable[], backend: Backend): void;
  /** One step: reads each variable's `grad` and updates its `value` in place. */
  applyGradients(variables: readonly Variable[], backend: Backend): void;
  /** At the end of training: with useEma, copies the moving averages into the variables (Keras). */
  finalizeVariableValues(variables: readonly Variable[], backend: Backend): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
  getConfig(): OptimizerConfig;
}
