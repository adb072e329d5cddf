import { compileConfigSchema, fitConfigSchema, modelDefinitionSchema } from '@kiln/neural-engine';
import { z } from 'zod';

/**
 * Body of `POST /v1/jobs`: what to train (an inline model definition), on what (a dataset
 * uploaded beforehand), and how (Keras compile and fit arguments). The model, compile and fit
 * parts are the engine's own schemas, so the API accepts exactly what the engine will run.
 * Unknown properties are rejected.
 */
export const trainingJobRequestSchema = z.strictObject({
  model: modelDefinitionSchema,
  datasetId: z.uuid(),
  compile: compileConfigSchema,
  fit: fitConfigSchema.prefault({}),
});

/** What clients send (defaults not yet applied). */
export type TrainingJobRequest = z.input<typeof trainingJobRequestSchema>;
/** What the api works with after validation (defaults applied). */
export type ParsedTrainingJobRequest = z.output<typeof trainingJobRequestSchema>;
