import { type Model, modelFromDefinition } from '@kiln/neural-engine';
import { AppError } from '../../errors.js';

/** Builds an engine model from a definition (ConfigError → 400 naming the layer) and enforces the parameter limit. */
export function buildModel(definition: unknown, maxParams: number): Model {
  const model = modelFromDefinition(definition);
  const params = model.countParams();
  if (params > maxParams) {
    throw new AppError(422, 'MODEL_TOO_LARGE', `the model has ${params} parameters; the limit is ${maxParams}`, { parameters: params, limit: maxParams });
  }
  return model;
}
