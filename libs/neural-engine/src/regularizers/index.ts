import { z } from 'zod';
import { parseConfig } from '../config.js';
import { Registry } from '../identifiers.js';
import { identifierOrObjectSchema } from '../initializers/identifier-or-object.js';
import { L1, L1L2, L2, l1Schema, l1l2Schema, l2Schema } from './l1-l2.js';
import { OrthogonalRegularizer, orthogonalRegularizerSchema } from './orthogonal-regularizer.js';
import type { Regularizer } from './regularizer.js';

export * from './l1-l2.js';
export * from './orthogonal-regularizer.js';
export * from './penalty-args.js';
export * from './regularizer.js';

/** Builds a regularizer from its arguments (everything of an object config but `type`). */
type RegularizerFactory = (args: Record<string, unknown>) => Regularizer;

/** Keras regularizer names (`l1`, `l2`, `l1_l2`, `orthogonal_regularizer`, any spelling). */
export const regularizerRegistry = new Registry<RegularizerFactory>('regularizer');

// As in Keras 3, a name builds the class with its defaults: `l1_l2` is L1L2() with l1 = l2 = 0.
const entries: ReadonlyArray<readonly [name: string, type: string, factory: RegularizerFactory]> = [
  ['l1', 'L1', (a) => new L1(a)],
  ['l2', 'L2', (a) => new L2(a)],
  ['l1_l2', 'L1L2', (a) => new L1L2(a)],
  ['orthogonal_regularizer', 'OrthogonalRegularizer', (a) => new OrthogonalRegularizer(a)],
];
for (const [name, type, factory] of entries) regularizerRegistry.register(name, factory, [type]);

/** Keras class names accepted as `type` in object configs. */
export const regularizerTypes: readonly string[] = entries.map(([, type]) => type);

const regularizerObjectSchema = z.discriminatedUnion('type', [l1Schema, l2Schema, l1l2Schema, orthogonalRegularizerSchema]);

/** A regularizer config: `"l2"` (any spelling) or a strict `{type: "L1L2", l1, l2}` object. */
export const regularizerSchema = identifierOrObjectSchema(regularizerRegistry, regularizerTypes, regularizerObjectSchema);

/** Validated regularizer config. */
export type RegularizerSpec = z.output<typeof regularizerSchema>;

/** Validates a regularizer config and creates the regularizer; invalid configs throw a ConfigError naming the path. */
export function getRegularizer(config: unknown, path: readonly PropertyKey[] = []): Regularizer {
  const spec = parseConfig(regularizerSchema, config, path);
  if (typeof spec === 'string') return regularizerRegistry.get(spec)({});
  const { type, ...args } = spec;
  return regularizerRegistry.get(type)(args);
}
