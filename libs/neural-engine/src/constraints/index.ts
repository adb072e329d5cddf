import { z } from 'zod';
import { parseConfig } from '../config.js';
import { Registry } from '../identifiers.js';
import { identifierOrObjectSchema } from '../initializers/identifier-or-object.js';
import type { Constraint } from './constraint.js';
import { NonNeg, nonNegSchema } from './non-neg.js';
import { MaxNorm, MinMaxNorm, UnitNorm, maxNormSchema, minMaxNormSchema, unitNormSchema } from './norm-constraints.js';

export * from './axis-norms.js';
export * from './constraint.js';
export * from './non-neg.js';
export * from './norm-constraints.js';

/** Builds a constraint from its arguments (everything of an object config but `type`). */
type ConstraintFactory = (args: Record<string, unknown>) => Constraint;

/** Keras constraint names (`max_norm`, `min_max_norm`, `non_neg`, `unit_norm`; `maxnorm` etc. are the same key). */
export const constraintRegistry = new Registry<ConstraintFactory>('constraint');

const entries: ReadonlyArray<readonly [name: string, type: string, factory: ConstraintFactory]> = [
  ['max_norm', 'MaxNorm', (a) => new MaxNorm(a)],
  ['min_max_norm', 'MinMaxNorm', (a) => new MinMaxNorm(a)],
  ['non_neg', 'NonNeg', (a) => new NonNeg(a)],
  ['unit_norm', 'UnitNorm', (a) => new UnitNorm(a)],
];
for (const [name, type, factory] of entries) constraintRegistry.register(name, factory, [type]);

/** Keras class names accepted as `type` in object configs. */
export const constraintTypes: readonly string[] = entries.map(([, type]) => type);

const constraintObjectSchema = z.discriminatedUnion('type', [maxNormSchema, minMaxNormSchema, nonNegSchema, unitNormSchema]);

/** A constraint config: `"non_neg"` (any spelling) or a strict `{type: "MaxNorm", maxValue, axis}` object. */
export const constraintSchema = identifierOrObjectSchema(constraintRegistry, constraintTypes, constraintObjectSchema);

/** Validated constraint config. */
export type ConstraintSpec = z.output<typeof constraintSchema>;

/** Validates a constraint config and creates the constraint; invalid configs throw a ConfigError naming the path. */
export function getConstraint(config: unknown, path: readonly PropertyKey[] = []): Constraint {
  const spec = parseConfig(constraintSchema, config, path);
  if (typeof spec === 'string') return constraintRegistry.get(spec)({});
  const { type, ...args } = spec;
  return constraintRegistry.get(type)(args);
}
