/*
 * The per-layer exceptions to "Keras snake_case argument = Kiln camelCase argument". A layer whose arguments differ
 * only by case needs no entry here.
 */

/** Matches a value Kiln may drop without changing the model. */
type Droppable = (value: unknown) => boolean;

const always: Droppable = () => true;
const equals = (expected: unknown): Droppable => (value) => value === expected || value === null;

/**
 * Keras arguments Kiln does not model and may drop knowingly when they hold the given value (checked only when the
 * Kiln schema has no such argument): numeric types, performance switches and features whose default is a no-op.
 */
export const DROPPABLE_ARGUMENTS: Record<string, Droppable> = {
  // Kiln computes in its backend's float type; Keras dtype policies (strings or Keras 3 DTypePolicy objects) are a detail.
  dtype: always,
  autocast: always,
  input_dtype: always,
  // Kiln accepts any batch size; a fixed one is informational.
  batch_size: always,
  sparse: equals(false),
  ragged: equals(false),
  optional: equals(false),
  // Recurrent layers: implementation and cuDNN choice change speed, not results.
  implementation: always,
  use_cudnn: always,
  unroll: equals(false),
  stateful: equals(false),
  time_major: equals(false),
  go_backwards: equals(false),
  zero_output_for_mask: always,
  // Convolutions and normalization.
  groups: equals(1),
  data_format: equals('channels_last'),
  renorm: equals(false),
  renorm_clipping: equals(null),
  renorm_momentum: always,
  fused: always,
  synchronized: equals(false),
  virtual_batch_size: equals(null),
  adjustment: equals(null),
  // LoRA fine-tuning (Keras 3 Dense, Embedding, convolutions) is off unless lora_rank is set.
  lora_rank: equals(null),
  lora_alpha: always,
  // Keras 2 Embedding: the sequence length is the input shape's, which Kiln reads from the model input.
  input_length: always,
};

/** A value TensorFlow.js implements for an argument: a test and what to tell the user. */
export interface TfjsLimit {
  readonly accepts: (value: unknown) => boolean;
  /** The supported values, as the message states them: `= false`, `other than "causal"`. */
  readonly only: string;
  /** Why, when it is not plain absence in TF.js. */
  readonly why?: string;
}

const only = (expected: unknown, why?: string): TfjsLimit => ({
  accepts: (v) => v === expected || v === null || v === undefined,
  only: `= ${JSON.stringify(expected)}`,
  ...(why ? { why } : {}),
});
/** 1 or a list of ones (strides and dilation rates). */
const ones: TfjsLimit = {
  accepts: (v) => v === 1 || v === null || v === undefined || (Array.isArray(v) && v.every((d) => d === 1)),
  only: '= 1',
};

/** How one layer class's arguments differ from the generic rule. */
export interface LayerArgumentRule {
  /** Keras argument (snake_case, any dialect) → Kiln argument, on import. */
  readonly importRenames?: Readonly<Record<string, string>>;
  /** Kiln argument → argument name written for TensorFlow.js. */
  readonly tfjsRenames?: Readonly<Record<string, string>>;
  /**
   * Kiln arguments of which TensorFlow.js implements only some values (it ignores, rejects or miscomputes others):
   * another value makes the TensorFlow.js export fail with a ConfigError instead of producing a model that computes
   * something else.
   */
  readonly tfjsLimits?: Readonly<Record<string, TfjsLimit>>;
}

/** Limits that hold for every layer class in TensorFlow.js. */
export const TFJS_COMMON_LIMITS: Readonly<Record<string, TfjsLimit>> = {
  activityRegularizer: only(null, 'TF.js refuses to run a layer that has an activity regularizer'),
};

/** The exceptions, by Keras class name. */
export const LAYER_ARGUMENT_RULES: Readonly<Record<string, LayerArgumentRule>> = {
  // Keras 2 and TensorFlow.js call the slope `alpha`; Keras 3 `negative_slope`.
  LeakyReLU: { importRenames: { alpha: 'negativeSlope' }, tfjsRenames: { negativeSlope: 'alpha' } },
  // TensorFlow.js's ReLU has only max_value.
  ReLU: { tfjsLimits: { negativeSlope: only(0), threshold: only(0) } },
  ELU: { tfjsLimits: { alpha: only(1, 'TF.js throws NotImplementedError for other values') } },
  Softmax: { tfjsLimits: { axis: only(-1, 'TF.js computes softmax over the last axis only') } },
  GRU: { tfjsLimits: { resetAfter: only(false, 'TF.js implements only the reset-before convention') } },
  Conv1D: {
    tfjsLimits: {
      padding: { accepts: (v) => v !== 'causal', only: 'other than "causal"', why: 'TF.js throws NotImplementedError for causal padding' },
      groups: only(1),
    },
  },
  Conv2D: { tfjsLimits: { groups: only(1) } },
  Conv2DTranspose: { tfjsLimits: { outputPadding: only(null), dilationRate: ones } },
  DepthwiseConv2D: { tfjsLimits: { dilationRate: { ...ones, why: 'TF.js computes another output shape' } } },
  BatchNormalization: { tfjsLimits: { axis: only(-1, 'TF.js 4.22 broadcasts the statistics of any other axis along the last one in inference') } },
  LayerNormalization: { tfjsLimits: { rmsScaling: only(false) } },
  Bidirectional: { tfjsLimits: { backwardLayer: only(null, 'TF.js ignores backward_layer and mirrors the forward layer') } },
  UpSampling2D: { tfjsLimits: { interpolation: only('nearest', 'TF.js\'s bilinear resize gives other values than Keras 3\'s') } },
  Concatenate: {
    tfjsLimits: {
      axis: { accepts: (v) => typeof v !== 'number' || v >= -1, only: '= -1 or a non-negative axis', why: 'TF.js concatenates along the wrong axis for other negative values' },
    },
  },
};
