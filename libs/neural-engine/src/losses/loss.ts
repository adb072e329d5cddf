import type { Tensor } from '../tensor.js';

/** A loss as written in a config: a Keras name (`"categorical_crossentropy"`, `"mse"`) or `{type, ...args}`. */
export type LossConfig = string | { type: string; [arg: string]: unknown };

/** Keras 3 loss reductions. `mean` equals `sum_over_batch_size`; `none` returns one value per sample (row). */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'none';

/** The scalar loss of a batch and its gradient with respect to yPred. */
export interface LossWithGradient {
  loss: number;
  grad: Tensor;
}

/**
 * A loss: a pure per-row function (rows = every position but the reduced axis) wrapped with Keras reduction and
 * sample weights. Sample weights have one value per sample (batch element) and apply to all its rows.
 */
export interface Loss {
  /** Canonical Keras name, e.g. `categorical_crossentropy`. */
  readonly name: string;
  readonly reduction: Reduction;
  /** Unreduced values, one per row, already multiplied by sample weights. */
  values(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): Float64Array;
  /** Reduced loss (with `none`, the sum, which is what a gradient of a vector loss means). */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): number;
  /** Reduced loss and d loss / d yPred, in one pass. */
  callWithGradient(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): LossWithGradient;
  /**
   * For yPred the output of a softmax over its last axis: the reduced loss and dL/d(logits), the softmax's input, in
   * one pass; null when this loss cannot take over the softmax's backward pass (only categorical and sparse categorical
   * crossentropy from probabilities over the last axis can).
   */
  callWithLogitsGradient?(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): LossWithGradient | null;
  getConfig(): LossConfig;
}
