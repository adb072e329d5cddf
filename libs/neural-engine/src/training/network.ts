import type { Backend } from '../backend/backend.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Shape, Tensor } from '../tensor.js';

/**
 * What the training loop needs of a model: a forward and a backward pass over its layers, with one tensor per model
 * input and per model output. Sequential implements it by chaining layers (one input, one output); functional
 * graphs by walking their DAG.
 */
export interface Network {
  readonly layers: readonly Layer[];
  /** Names of the model's inputs and outputs, in order (logs name per-output losses and metrics after outputs). */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Per-sample shapes of the inputs and outputs. */
  readonly inputShapes: readonly Shape[];
  readonly outputShapes: readonly Shape[];
  /** ys = model(xs). With `training`, layers keep what backward needs. */
  forward(xs: readonly Tensor[], training: boolean): Tensor[];
  /**
   * Propagates dL/dy of every output back through every layer, accumulating weight gradients. Where `logits[k]`,
   * dys[k] is dL/d(logits) of output k's softmax instead (only for an output that takesLogitsGradient).
   */
  backward(dys: readonly Tensor[], logits?: readonly boolean[]): void;
  /**
   * Whether output k comes from a layer ending in a last-axis softmax that can start its backward pass from
   * dL/d(logits) (Layer.takesLogitsGradient), and nothing else in the model reads it.
   */
  takesLogitsGradient(output: number): boolean;
}

/** Trainable variables of all layers, in layer order. */
export function trainableVariables(network: Network): Variable[] {
  return network.layers.flatMap((l) => l.trainableVariables);
}

/** Every variable (trainable or not), in layer order: the weights that are saved. */
export function allVariables(network: Network): Variable[] {
  return network.layers.flatMap((l) => l.variables);
}

/**
 * Regularization terms of the loss: weight regularizers of trainable variables plus the activity penalties of the
 * last forward pass (Keras adds both to the reported loss).
 */
export function regularizationLoss(network: Network, backend: Backend): number {
  let total = 0;
  for (const layer of network.layers) {
    if (layer.activityRegularizer) total += layer.activityPenalty;
    for (const v of layer.trainableVariables) {
      if (v.regularizer) total += v.regularizer.penalty(v.value, backend);
    }
  }
  return total;
}
