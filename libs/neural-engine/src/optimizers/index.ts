import { z } from 'zod';
import { identifierSchema, parseConfig } from '../config.js';
import { Registry } from '../identifiers.js';
import { Adam, adamSchema } from './adam.js';
import { AdamW, adamwSchema } from './adamw.js';
import { dispatchSchema, unknownTypeError } from './config-schemas.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { SGD, sgdSchema } from './sgd.js';

export type { LearningRateSchedule, Optimizer, OptimizerConfig, OptimizerState, ScheduleConfig } from './optimizer.js';
export { BaseOptimizer, baseOptimizerShape, learningRateSchema, optimizerObjectSchema } from './base-optimizer.js';
export type { BaseOptimizerArgs } from './base-optimizer.js';
export * from './schedules/index.js';
export { Adam, AdamW, SGD };
export type { AdamConfig } from './adam.js';
export type { AdamWConfig } from './adamw.js';
export type { SGDConfig } from './sgd.js';

/** How to make one optimizer: its Keras class name and a constructor taking its config without `type`. */
export interface OptimizerEntry {
  className: string;
  create(args: Record<string, unknown>): Optimizer;
}

/** Every optimizer by its Keras name (`sgd`, `adam`, ...), matched in any spelling (`Adam`, `ADAM`, `adam_w`). */
export const optimizerRegistry = new Registry<OptimizerEntry>('optimizer');

const entries: Array<[name: string, className: string, create: (args: Record<string, unknown>) => Optimizer]> = [
  ['sgd', 'SGD', (a) => new SGD(a)],
  ['adam', 'Adam', (a) => new Adam(a)],
  ['adamw', 'AdamW', (a) => new AdamW(a)],
];
for (const [name, className, create] of entries) optimizerRegistry.register(name, { className, create }, [className]);

const optimizerObjectSchemas = [sgdSchema, adamSchema, adamwSchema] as const;

const optimizerObjectUnion = z.discriminatedUnion('type', [...optimizerObjectSchemas], {
  error: unknownTypeError('optimizer', optimizerObjectSchemas.map((s) => s.shape.type.value)),
});

/**
 * An optimizer config: a Keras name in any spelling (`"adam"`, `"RMSprop"`) or a strict object
 * `{type: "Adam", learningRate: 0.01 | {type: "ExponentialDecay", ...}, beta1, ...}`.
 */
export const optimizerSchema: z.ZodType<OptimizerConfig, OptimizerConfig> = dispatchSchema<OptimizerConfig>(
  (v) => (typeof v === 'string' ? identifierSchema(optimizerRegistry) : typeof v === 'object' && v !== null && !Array.isArray(v) ? optimizerObjectUnion : null),
  'an optimizer name (e.g. "adam") or an object {type: "Adam", ...}',
);

/** Validates an optimizer config (ConfigError naming path and value) and returns a new optimizer. */
export function getOptimizer(config: OptimizerConfig): Optimizer {
  const parsed = parseConfig(optimizerSchema, config);
  if (typeof parsed === 'string') return optimizerRegistry.get(parsed).create({});
  const { type, ...args } = parsed;
  return optimizerRegistry.get(type).create(args);
}
