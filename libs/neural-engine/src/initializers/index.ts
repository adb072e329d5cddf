import { z } from 'zod';
import { parseConfig } from '../config.js';
import { Registry } from '../identifiers.js';
import { Constant, Ones, Zeros, constantSchema, onesSchema, zerosSchema } from './constant.js';
import { identifierOrObjectSchema } from './identifier-or-object.js';
import { Identity, identitySchema } from './identity.js';
import type { Initializer } from './initializer.js';
import { Orthogonal, orthogonalSchema } from './orthogonal.js';
import {
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  randomNormalSchema,
  randomUniformSchema,
  truncatedNormalSchema,
} from './random.js';
import { VarianceScaling, varianceScalingSchema } from './variance-scaling.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  glorotNormalSchema,
  glorotUniformSchema,
  heNormalSchema,
  heUniformSchema,
  lecunNormalSchema,
  lecunUniformSchema,
} from './variance-scaling-presets.js';

export * from './constant.js';
export * from './identifier-or-object.js';
export * from './identity.js';
export * from './initializer.js';
export * from './orthogonal.js';
export * from './random.js';
export * from './variance-scaling.js';
export * from './variance-scaling-presets.js';

/** Builds an initializer from its arguments (everything of an object config but `type`). */
type InitializerFactory = (args: Record<string, unknown>) => Initializer;

/** Keras initializer names (snake_case, matched in any spelling: `GlorotUniform` is `glorot_uniform`). */
export const initializerRegistry = new Registry<InitializerFactory>('initializer');

// Each class is registered under its Keras snake_case name; its class name normalizes to the same key.
const entries: ReadonlyArray<readonly [name: string, type: string, factory: InitializerFactory]> = [
  ['zeros', 'Zeros', (a) => new Zeros(a)],
  ['ones', 'Ones', (a) => new Ones(a)],
  ['constant', 'Constant', (a) => new Constant(a)],
  ['random_normal', 'RandomNormal', (a) => new RandomNormal(a)],
  ['random_uniform', 'RandomUniform', (a) => new RandomUniform(a)],
  ['truncated_normal', 'TruncatedNormal', (a) => new TruncatedNormal(a)],
  ['variance_scaling', 'VarianceScaling', (a) => new VarianceScaling(a)],
  ['glorot_normal', 'GlorotNormal', (a) => new GlorotNormal(a)],
  ['glorot_uniform', 'GlorotUniform', (a) => new GlorotUniform(a)],
  ['he_normal', 'HeNormal', (a) => new HeNormal(a)],
  ['he_uniform', 'HeUniform', (a) => new HeUniform(a)],
  ['lecun_normal', 'LecunNormal', (a) => new LecunNormal(a)],
  ['lecun_uniform', 'LecunUniform', (a) => new LecunUniform(a)],
  ['orthogonal', 'Orthogonal', (a) => new Orthogonal(a)],
  ['identity', 'Identity', (a) => new Identity(a)],
];
for (const [name, type, factory] of entries) initializerRegistry.register(name, factory, [type]);
// Keras's short aliases: `uniform` is the default initializer of Embedding.
initializerRegistry.register('random_uniform', (a) => new RandomUniform(a), ['uniform']);
initializerRegistry.register('random_normal', (a) => new RandomNormal(a), ['normal']);

/** Keras class names accepted as `type` in object configs. */
export const initializerTypes: readonly string[] = entries.map(([, type]) => type);

const initializerObjectSchema = z.discriminatedUnion('type', [
  zerosSchema,
  onesSchema,
  constantSchema,
  randomNormalSchema,
  randomUniformSchema,
  truncatedNormalSchema,
  varianceScalingSchema,
  glorotNormalSchema,
  glorotUniformSchema,
  heNormalSchema,
  heUniformSchema,
  lecunNormalSchema,
  lecunUniformSchema,
  orthogonalSchema,
  identitySchema,
]);

/** An initializer config: `"glorot_uniform"` (any spelling) or a strict `{type: "GlorotUniform", seed: 1}` object. */
export const initializerSchema = identifierOrObjectSchema(initializerRegistry, initializerTypes, initializerObjectSchema);

/** Validated initializer config. */
export type InitializerSpec = z.output<typeof initializerSchema>;

/**
 * Validates an initializer config and creates the initializer; invalid configs throw a ConfigError naming the path
 * (prefixed with `path`, e.g. `['layers', 0, 'kernelInitializer']`) and the value received.
 */
export function getInitializer(config: unknown, path: readonly PropertyKey[] = []): Initializer {
  const spec = parseConfig(initializerSchema, config, path);
  if (typeof spec === 'string') return initializerRegistry.get(spec)({});
  const { type, ...args } = spec;
  return initializerRegistry.get(type)(args);
}
