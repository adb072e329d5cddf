import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { configErrorFromZod, identifierSchema, parseConfig } from '../config.js';
import { describeValue } from '../errors.js';
import { Registry } from '../identifiers.js';
import { lossDefinitions } from './catalogue.js';
import type { LossDefinition, LossOptions } from './definition.js';
import { LossFunctionWrapper } from './loss-function-wrapper.js';
import type { Loss, LossConfig, Reduction } from './loss.js';

export type { Loss, LossConfig, LossWithGradient, Reduction } from './loss.js';
export type { LossDefinition, LossOptions } from './definition.js';
export { LossFunctionWrapper } from './loss-function-wrapper.js';
export { lossDefinitions } from './catalogue.js';
export { reduceRows, type ReducedRows } from './reduction.js';
export { EPSILON as LOSS_EPSILON, type AxisLayout, type RowMap } from './layout.js';
export { binaryCrossentropyValues, type BinaryCrossentropyOptions } from './binary-crossentropy.js';
export { binaryFocalCrossentropyValues, type BinaryFocalCrossentropyOptions } from './binary-focal-crossentropy.js';
export { categoricalCrossentropyValues, type CategoricalCrossentropyOptions } from './categorical-crossentropy.js';
export { categoricalFocalCrossentropyValues, type CategoricalFocalCrossentropyOptions } from './categorical-focal-crossentropy.js';
export {
  sparseCategoricalCrossentropyValues, sparseValidRows, type SparseCategoricalCrossentropyOptions,
} from './sparse-categorical-crossentropy.js';
export {
  huberValues, logCoshValues, meanAbsoluteErrorValues, meanAbsolutePercentageErrorValues,
  meanSquaredErrorValues, meanSquaredLogarithmicErrorValues,
} from './regression.js';
export { poissonValues } from './poisson.js';
export { klDivergenceValues } from './kl-divergence.js';
export { areBinaryLabels, categoricalHingeValues, hingeValues, squaredHingeValues } from './hinge.js';
export { cosineSimilarityValues, type CosineSimilarityOptions } from './cosine-similarity.js';
export { diceValues, tverskyValues, type SegmentationAxes, type TverskyOptions } from './dice-tversky.js';

/** Every loss by its Keras identifier (`categorical_crossentropy`, `mse`, `huber_loss`...), in any spelling. */
export const lossRegistry = new Registry<LossDefinition>('loss');
for (const d of lossDefinitions) lossRegistry.register(d.identifier, d, d.aliases);

const byClassName = new Map(lossDefinitions.map((d) => [d.className, d]));

/** Keras 3 reductions accepted in configs. */
export const lossReductionSchema = z.enum(['sum_over_batch_size', 'sum', 'mean', 'none']);

/** Arguments every loss accepts. */
const baseArgs = { name: z.string().min(1).optional(), reduction: lossReductionSchema.optional() };

const objectSchemas = lossDefinitions.map((d) => {
  const args = Object.fromEntries(Object.entries(d.args).map(([k, s]) => [k, (s as z.ZodType).optional()]));
  return z.object({ type: z.literal(d.className), ...baseArgs, ...args }).strict();
});
const classNames = lossDefinitions.map((d) => d.className);

/**
 * The object form, `{type: "<KerasClassName>", ...camelCaseArgs}`: an unknown type is reported at `type` with the list
 * of classes, then the arguments are checked strictly against that class.
 */
export const lossObjectSchema = z
  .object({
    type: z.string().refine((t) => byClassName.has(t), {
      error: (issue) => `unknown loss type ${describeValue(issue.input)}; expected one of ${classNames.join(', ')}`,
    }),
  })
  .loose()
  .pipe(z.discriminatedUnion('type', objectSchemas as unknown as [typeof objectSchemas[number], ...typeof objectSchemas]));

/**
 * A loss config: a Keras identifier in any spelling, or `{type: "<KerasClassName>", ...camelCaseArgs}` (strict).
 * When it is embedded in a larger schema and fails, zod's union keeps only a generic issue, so its message spells out
 * the object form's own issues (path, message, received value).
 */
export const lossSchema: z.ZodType<LossConfig> = z.union([identifierSchema(lossRegistry), lossObjectSchema], {
  error: (issue) => {
    const input = issue.input;
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      const result = lossObjectSchema.safeParse(input, { reportInput: true });
      if (!result.success) return configErrorFromZod(result.error).message;
    }
    return `expected a loss name (one of ${lossRegistry.names().join(', ')}) or an object {type, ...}`;
  },
}) as z.ZodType<LossConfig>;

/**
 * Validates a loss config (throwing ConfigError naming the path and received value) and returns the loss, bound to
 * `backend`: the backend creates the gradient tensors callWithGradient returns.
 */
export function getLoss(config: LossConfig, backend: Backend): Loss {
  if (typeof config === 'string') {
    const d = lossRegistry.get(parseConfig(identifierSchema(lossRegistry), config));
    return new LossFunctionWrapper(d, { ...d.defaults }, d.defaultName, 'sum_over_batch_size', backend);
  }
  // Neither a name nor an object: the union's message says what is expected.
  if (typeof config !== 'object' || config === null) parseConfig(lossSchema, config);
  const parsed = parseConfig(lossObjectSchema, config);
  const d = byClassName.get(parsed.type)!;
  const { type: _type, name, reduction, ...args } = parsed as { type: string; name?: string; reduction?: Reduction } & LossOptions;
  const options: LossOptions = { ...d.defaults };
  for (const [k, v] of Object.entries(args)) if (v !== undefined) options[k] = v;
  return new LossFunctionWrapper(d, options, name ?? d.defaultName, reduction ?? 'sum_over_batch_size', backend);
}
