import { compileConfigSchema, fitConfigSchema, modelDefinitionSchema } from '@kiln/neural-engine';
import { z } from 'zod';

/**
 * Keras fit arguments of a job: the engine's fit config (epochs, batchSize, shuffle, seed, validationSplit,
 * classWeight, callbacks, diagnosticsEveryBatches) without initialEpoch (resuming is the service's business),
 * plus how often to checkpoint.
 */
export const jobFitConfigSchema = fitConfigSchema.omit({ initialEpoch: true }).extend({
  /** Write a checkpoint (weights, optimizer and RNG state) every this many epochs, and after the last one. */
  checkpointEvery: z.number().int().positive().default(1),
});

/**
 * Body of `POST /v1/jobs`: what to train (a registered model, or an inline definition), on what (datasets uploaded
 * beforehand), and how (Keras compile and fit arguments). The model, compile and fit parts are the engine's own
 * schemas, so the API accepts exactly what the engine will run. Unknown properties are rejected.
 */
export const trainingJobRequestSchema = z
  .strictObject({
    modelId: z.uuid().optional(),
    model: modelDefinitionSchema.optional(),
    datasetId: z.uuid(),
    /** A separate validation set (takes precedence over fit.validationSplit). */
    validationDatasetId: z.uuid().optional(),
    compile: compileConfigSchema,
    fit: jobFitConfigSchema.prefault({}),
    /** Start from the weights of an existing version of the model (fine-tuning, warm start). */
    initialWeights: z.strictObject({ modelVersion: z.number().int().positive() }).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.modelId === undefined) === (body.model === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['modelId'], message: 'give exactly one of modelId (a registered model) or model (an inline definition)' });
    }
    if (body.initialWeights && body.modelId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['initialWeights'], message: 'initialWeights needs modelId: an inline model has no versions yet' });
    }
  });

/** What clients send (defaults not yet applied). */
export type TrainingJobRequest = z.input<typeof trainingJobRequestSchema>;
/** What the api works with after validation (defaults applied). */
export type ParsedTrainingJobRequest = z.output<typeof trainingJobRequestSchema>;

/** What a job row stores as its configuration; the worker trains from exactly this. */
export const storedJobConfigSchema = z.object({
  compile: compileConfigSchema,
  fit: jobFitConfigSchema,
  validationDatasetId: z.uuid().nullable(),
  initialWeights: z.object({ modelVersion: z.number().int().positive() }).nullable(),
});
export type StoredJobConfig = z.output<typeof storedJobConfigSchema>;
