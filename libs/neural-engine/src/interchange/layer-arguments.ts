/*
 * The per-layer exceptions to "Keras snake_case argument = Kiln camelCase argument". A layer whose arguments differ
 * only by case needs no entry here.
 */

/** Matches a value Kiln may drop without changing the model. */
type Droppable = (value: unknown) => boolean;

const any: Droppable = () => true;
const equals = (expected: unknown): Droppable => (value) => value === expected || value === null;

/**
 * Keras arguments Kiln does not model and may drop knowingly when they hold the given value (checked only when the
 * Kiln schema has no such argument): numeric types, performance switches and features whose default is a no-op.
 */
export const DROPPABLE_ARGUMENTS: Record<string, Droppable> = {
  // Kiln computes in its backend's float type; Keras dtype policies (strings or Keras 3 DTypePolicy objects) are a detail.
  dtype: any,
  autocast: any,
  input_dtype: any,
  // Kiln accepts any batch size; a fixed one is informational.
  batch_size: any,
  sparse: equals(false),
  ragged: equals(false),
  optional: equals(false),
  // Recurrent layers: implementation and cuDNN choice change speed, not results.
  implementation: any,
  use_cudnn: any,
  unroll: equals(false),
  stateful: equals(false),
  time_major: equals(false),
  go_backwards: equals(false),
  zero_output_for_mask: any,
  // Convolutions and normalization.
  groups: equals(1),
  data_format: equals('channels_last'),
  renorm: equals(false),
  renorm_clipping: equals(null),
  renorm_momentum: any,
  fused: any,
  synchronized: equals(false),
  virtual_batch_size: equals(null),
  adjustment: equals(null),
  // LoRA fine-tuning (Keras 3 Dense, Embedding, convolutions) is off unless lora_rank is set.
  lora_rank: equals(null),
  lora_alpha: any,
  // Keras 2 Embedding: the sequence length is the input shape's, which Kiln reads from the model input.
  input_length: any,
};

/** How one layer class's arguments differ from the generic rule. */
export interface LayerArgumentRule {
  /** Keras argument (snake_case, any dialect) → Kiln argument, on import. */
  readonly importRenames?: Readonly<Record<string, string>>;
  /** Kiln argument → argument name written for TensorFlow.js. */
  readonly tfjsRenames?: Readonly<Record<string, string>>;
  /**
   * Kiln arguments whose only value TensorFlow.js implements (it ignores or rejects others): any other value makes the
   * TensorFlow.js export fail with a ConfigError instead of producing a model that computes something else.
   */
  readonly tfjsDefaults?: Readonly<Record<string, unknown>>;
}

/** The exceptions, by Keras class name. */
export const LAYER_ARGUMENT_RULES: Readonly<Record<string, LayerArgumentRule>> = {
  // Keras 2 and TensorFlow.js call the slope `alpha`; Keras 3 `negative_slope`.
  LeakyReLU: { importRenames: { alpha: 'negativeSlope' }, tfjsRenames: { negativeSlope: 'alpha' } },
  // TensorFlow.js's ReLU has only max_value.
  ReLU: { tfjsDefaults: { negativeSlope: 0, threshold: 0 } },
  // TensorFlow.js's ELU throws NotImplementedError for any alpha but 1.
  ELU: { tfjsDefaults: { alpha: 1 } },
  // TensorFlow.js implements only reset_after = false (Keras 3 defaults to true).
  GRU: { tfjsDefaults: { resetAfter: false } },
};
