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

/** A name of an input or layer in a functional definition (also the prefix of its weights' names). */
const nodeNameSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.\-]+$/, 'letters, digits, _ . - only');

/** A reference to a tensor of a functional graph: an input or layer name, with `:k` for a layer's k-th output. */
export const tensorReferenceSchema = z.string().regex(/^[A-Za-z0-9_.\-]+(:\d+)?$/, 'a layer or input name, optionally followed by :k');

/** A named input of a functional model with its per-sample shape. */
export const functionalInputSchema = z.object({ name: nodeNameSchema, shape: z.array(z.number().int().positive()) }).strict();

/**
 * A layer of a functional model: any layer config (validated by its own schema when the model is created, so errors
 * point at `layers[i].<argument>`) plus a required `name` and its `inbound` tensors.
 */
export const functionalLayerSchema = z.looseObject({
  type: z.string(),
  name: nodeNameSchema,
  /** The tensors this layer is applied to: one reference, or several for merge layers. */
  inbound: z.array(tensorReferenceSchema).min(1),
});

/**
 * A directed acyclic graph of layers (Keras functional API): named inputs, layers with their inbound tensors, and
 * named outputs. Each layer is applied once (shared layers are not supported).
 */
export const functionalDefinitionSchema = z.object({
  type: z.literal('Functional'),
  name: z.string().min(1).max(128).optional(),
  seed: z.number().int().nonnegative().max(0xffffffff).optional(),
  inputs: z.array(functionalInputSchema).min(1),
  layers: z.array(functionalLayerSchema).min(1),
  /** The model's outputs, in order: references to layer outputs. */
  outputs: z.array(tensorReferenceSchema).min(1),
}).strict();

/** Any model definition: a Sequential stack or a Functional graph. */
export const modelDefinitionSchema = z.discriminatedUnion('type', [sequentialDefinitionSchema, functionalDefinitionSchema]);
export type ModelDefinition = z.input<typeof modelDefinitionSchema>;

/** Something given per model output: one value for all outputs, a list in output order, or a record by output name. */
const perOutput = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema), z.record(z.string(), schema)]);

/** Keras `model.compile` arguments. */
export const compileConfigSchema = z.object({
  /** Keras defaults to rmsprop. */
  optimizer: optimizerSchema.default('rmsprop'),
  /** One loss for every output, or one per output. */
  loss: perOutput(lossSchema),
  /** Weight of each output's loss in the total (default 1). */
  lossWeights: z.union([z.array(z.number().nonnegative()), z.record(z.string(), z.number().nonnegative())]).optional(),
  /** Metrics for every output, or per output (a list of lists, or a record by output name). */
  metrics: z.union([z.array(metricSchema), z.array(z.array(metricSchema)), z.record(z.string(), z.array(metricSchema))]).default([]),
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
