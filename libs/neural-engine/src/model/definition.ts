import { z } from 'zod';
import { callbackSchema } from '../callbacks/index.js';
import { layerSchema } from '../layers/index.js';
import { lossSchema } from '../losses/index.js';
import { metricSchema } from '../metrics/index.js';
import { optimizerSchema } from '../optimizers/index.js';

/*
 * The engine's language as JSON: what a model is (definition), how it learns (compile) and how long and on what it
 * trains (fit). The HTTP API composes these schemas, so a request body is validated by exactly the rules the engine
 * applies.
 */

/** A stack of layers, each feeding the next (Keras Sequential). The first layer declares `inputShape`, or is an Input. */
export const sequentialDefinitionSchema = z.object({
  type: z.literal('Sequential'),
  name: z.string().min(1).max(128).optional(),
  /** Seed of the model's random generator (initializers, dropout, shuffling). Random when absent. */
  seed: z.number().int().nonnegative().max(0xffffffff).optional(),
  layers: z.array(layerSchema).min(1),
}).strict();

/** Any model definition. Functional graphs join this union in a later issue. */
export const modelDefinitionSchema = z.discriminatedUnion('type', [sequentialDefinitionSchema]);
export type ModelDefinition = z.input<typeof modelDefinitionSchema>;

/** Keras `model.compile` arguments. */
export const compileConfigSchema = z.object({
  /** Keras defaults to rmsprop. */
  optimizer: optimizerSchema.default('rmsprop'),
  loss: lossSchema,
  metrics: z.array(metricSchema).default([]),
}).strict();
export type CompileConfig = z.input<typeof compileConfigSchema>;

/** Keras `model.fit` arguments that can be written as JSON (data and code-level hooks are passed separately). */
export const fitConfigSchema = z.object({
  epochs: z.number().int().positive().max(100_000).default(1),
  batchSize: z.number().int().positive().max(1_000_000).default(32),
  /** Shuffle the training samples before each epoch. */
  shuffle: z.boolean().default(true),
  /** Reseeds the model's random generator when training starts (not when resuming with initialEpoch > 0). */
  seed: z.number().int().nonnegative().max(0xffffffff).optional(),
  /** Fraction of the samples, taken from the end before shuffling (Keras), held out for validation. */
  validationSplit: z.number().min(0).lt(1).default(0),
  /** Weight of each class index in the loss: `{"0": 1, "1": 5}`. */
  classWeight: z.record(z.string().regex(/^\d+$/, 'class indices are non-negative integers'), z.number().nonnegative()).optional(),
  /** Epoch to start from (resuming a previous run); epochs counts the total. */
  initialEpoch: z.number().int().nonnegative().default(0),
  callbacks: z.array(callbackSchema).default([]),
  /** Also report per-layer gradient and weight norms every N batches (they are always reported per epoch). */
  diagnosticsEveryBatches: z.number().int().positive().optional(),
}).strict();
export type FitConfig = z.input<typeof fitConfigSchema>;
