import { parseConfig } from '../config.js';
import type { Activation, ActivationConfig } from './activation.js';
import { activationRegistry } from './registry.js';
import { activationSchema } from './schema.js';

export type { Activation, ActivationConfig } from './activation.js';
export type { ActivationDefinition } from './definition.js';
export { activationRegistry } from './registry.js';
export { activationSchema } from './schema.js';

/**
 * The activation a config describes (Keras `activations.get`), validated: an unknown name or a bad argument throws a
 * ConfigError naming the path and the value received.
 */
export function getActivation(config: ActivationConfig): Activation {
  const parsed = parseConfig(activationSchema, config);
  if (typeof parsed === 'string') return activationRegistry.get(parsed).create({});
  const { type, ...args } = parsed;
  const definition = activationRegistry.get(type);
  return definition.create(definition.params.parse(args));
}
