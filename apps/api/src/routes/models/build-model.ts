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

/**
 * The definition to store: the engine's full form (every default written out), keeping a seed only when the client
 * gave one. The engine picks a random seed otherwise, and storing it would pin every job's initial weights to it;
 * without it, a job's `fit.seed` seeds the initial weights too, and a job without one starts from fresh ones.
 */
export function storedDefinition(model: Model, given: unknown): unknown {
  const { seed: _engineSeed, ...definition } = model.getDefinition() as { seed?: number };
  const seed = (given as { seed?: unknown } | null)?.seed;
  return typeof seed === 'number' ? { ...definition, seed } : definition;
}
