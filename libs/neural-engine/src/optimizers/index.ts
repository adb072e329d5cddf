import { z } from 'zod';
import { identifierSchema, parseConfig } from '../config.js';
import { Registry } from '../identifiers.js';
import { Adadelta, adadeltaSchema } from './adadelta.js';
import { Adafactor, adafactorSchema } from './adafactor.js';
import { Adagrad, adagradSchema } from './adagrad.js';
import { Adam, adamSchema } from './adam.js';
import { Adamax, adamaxSchema } from './adamax.js';
import { AdamW, adamwSchema } from './adamw.js';
import { dispatchSchema, unknownTypeError } from './config-schemas.js';
import { Ftrl, ftrlSchema } from './ftrl.js';
import { Lamb, lambSchema } from './lamb.js';
import { Lion, lionSchema } from './lion.js';
import { Nadam, nadamSchema } from './nadam.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { RMSprop, rmspropSchema } from './rmsprop.js';
import { SGD, sgdSchema } from './sgd.js';

export type { LearningRateSchedule, Optimizer, OptimizerConfig, OptimizerState, ScheduleConfig } from './optimizer.js';
export { BaseOptimizer, baseOptimizerShape, learningRateSchema, optimizerObjectSchema } from './base-optimizer.js';
export type { BaseOptimizerArgs } from './base-optimizer.js';
export * from './schedules/index.js';
export { Adadelta, Adafactor, Adagrad, Adam, Adamax, AdamW, Ftrl, Lamb, Lion, Nadam, RMSprop, SGD };
export type { AdadeltaConfig } from './adadelta.js';
export type { AdafactorConfig } from './adafactor.js';
export type { AdagradConfig } from './adagrad.js';
export type { AdamConfig } from './adam.js';
export type { AdamaxConfig } from './adamax.js';
export type { AdamWConfig } from './adamw.js';
export type { FtrlConfig } from './ftrl.js';
export type { LambConfig } from './lamb.js';
export type { LionConfig } from './lion.js';
export type { NadamConfig } from './nadam.js';
export type { RMSpropConfig } from './rmsprop.js';
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
  ['rmsprop', 'RMSprop', (a) => new RMSprop(a)],
  ['adagrad', 'Adagrad', (a) => new Adagrad(a)],
  ['adadelta', 'Adadelta', (a) => new Adadelta(a)],
  ['adamax', 'Adamax', (a) => new Adamax(a)],
  ['nadam', 'Nadam', (a) => new Nadam(a)],
  ['ftrl', 'Ftrl', (a) => new Ftrl(a)],
  ['lion', 'Lion', (a) => new Lion(a)],
  ['lamb', 'Lamb', (a) => new Lamb(a)],
  ['adafactor', 'Adafactor', (a) => new Adafactor(a)],
];
for (const [name, className, create] of entries) optimizerRegistry.register(name, { className, create }, [className]);

const optimizerObjectSchemas = [
  sgdSchema,
  adamSchema,
  adamwSchema,
  rmspropSchema,
  adagradSchema,
  adadeltaSchema,
  adamaxSchema,
  nadamSchema,
  ftrlSchema,
  lionSchema,
  lambSchema,
  adafactorSchema,
] as const;

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
