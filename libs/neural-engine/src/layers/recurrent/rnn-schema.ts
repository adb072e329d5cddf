import { z } from 'zod';
import { activationSchema } from '../../activations/index.js';
import { positiveInt, seedSchema } from '../../config.js';
import { constraintSchema } from '../../constraints/index.js';
import { initializerSchema } from '../../initializers/index.js';
import { regularizerSchema } from '../../regularizers/index.js';
import { baseLayerSchema } from '../layer.js';

/** A dropout fraction of a recurrent layer, in [0, 1] (Keras applies it only when 0 < rate < 1). */
const dropoutRate = z.number().min(0).max(1);

/**
 * Arguments SimpleRNN, LSTM and GRU share (Keras 3 cell arguments plus the RNN base arguments), camelCase. Each layer's
 * schema extends this with its `type` literal and its own arguments, then makes the object strict.
 */
export const recurrentBaseSchema = baseLayerSchema.extend({
  /** Dimensionality of the output and of each state. */
  units: positiveInt,
  /** Activation of the candidate state and output (default tanh); null is linear. */
  activation: activationSchema.nullable().optional(),
  /** Whether the layer uses a bias vector (default true). */
  useBias: z.boolean().optional(),
  /** Initializer of `kernel`, the input projection (default glorot_uniform). */
  kernelInitializer: initializerSchema.optional(),
  /** Initializer of `recurrent_kernel`, the state projection (default orthogonal). */
  recurrentInitializer: initializerSchema.optional(),
  /** Initializer of `bias` (default zeros). */
  biasInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.nullable().optional(),
  recurrentRegularizer: regularizerSchema.nullable().optional(),
  biasRegularizer: regularizerSchema.nullable().optional(),
  activityRegularizer: regularizerSchema.nullable().optional(),
  kernelConstraint: constraintSchema.nullable().optional(),
  recurrentConstraint: constraintSchema.nullable().optional(),
  biasConstraint: constraintSchema.nullable().optional(),
  /**
   * Fraction of the input features dropped in training; masks are drawn once per sequence and reused at every step
   * (one for all gates, or one per gate for LSTM and GRU when recurrentDropout is set, as Keras 3 does).
   */
  dropout: dropoutRate.optional(),
  /** Fraction of the previous state's units dropped in the recurrent projection; masks drawn once per sequence. */
  recurrentDropout: dropoutRate.optional(),
  /** Seeds the layer's own generator for the dropout masks; without it the model's generator is used. */
  seed: seedSchema,
  /** Return the output of every step ([steps, units]) instead of the last one ([units]). */
  returnSequences: z.boolean().optional(),
  /** Also return the final state(s) as extra outputs. */
  returnState: z.boolean().optional(),
  /** Process the sequence last step first (returning the reversed output sequence). */
  goBackwards: z.boolean().optional(),
  /** Carrying states across batches is not supported; only false is accepted. */
  stateful: z
    .boolean()
    .refine((v) => v === false, { error: 'stateful recurrent layers are not supported (states are reset at every batch); use false' })
    .optional(),
  /** Accepted for compatibility; the loop is always a plain loop, so it has no effect. */
  unroll: z.boolean().optional(),
});

/** Validated shared recurrent arguments. */
export type RecurrentBaseOptions = z.output<typeof recurrentBaseSchema>;

/** Keras 3 default activations. */
export const DEFAULT_ACTIVATION = 'tanh';
export const DEFAULT_RECURRENT_ACTIVATION = 'sigmoid';
