import { configErrorFromZod } from '../config.js';
import { type ModelDefinition, modelDefinitionSchema } from './definition.js';
import { Functional } from './functional.js';
import type { Model, ModelOptions } from './model.js';
import { Sequential } from './sequential.js';

/** Creates a Sequential or Functional model from its JSON definition (errors name the path and received value). */
export function modelFromDefinition(definition: ModelDefinition | unknown, options: Omit<ModelOptions, 'seed' | 'name'> = {}): Model {
  const result = modelDefinitionSchema.safeParse(definition, { reportInput: true });
  if (!result.success) throw configErrorFromZod(result.error);
  return result.data.type === 'Sequential' ? Sequential.fromDefinition(result.data, options) : Functional.fromDefinition(result.data, options);
}
