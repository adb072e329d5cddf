import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { identifierSchema, parseConfig } from '../config.js';
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

/** A loss config: a Keras identifier in any spelling, or `{type: "<KerasClassName>", ...camelCaseArgs}` (strict). */
export const lossSchema: z.ZodType<LossConfig> = z.union([
  identifierSchema(lossRegistry),
  z.discriminatedUnion('type', objectSchemas as unknown as [typeof objectSchemas[number], ...typeof objectSchemas]),
]) as z.ZodType<LossConfig>;

/**
 * Validates a loss config (throwing ConfigError naming the path and received value) and returns the loss, bound to
 * `backend`: the backend creates the gradient tensors callWithGradient returns.
 */
export function getLoss(config: LossConfig, backend: Backend): Loss {
  const parsed = parseConfig(lossSchema, config);
  if (typeof parsed === 'string') {
    const d = lossRegistry.get(parsed);
    return new LossFunctionWrapper(d, { ...d.defaults }, d.defaultName, 'sum_over_batch_size', backend);
  }
  const d = byClassName.get(parsed.type)!;
  const { type: _type, name, reduction, ...args } = parsed as { type: string; name?: string; reduction?: Reduction } & LossOptions;
  const options: LossOptions = { ...d.defaults };
  for (const [k, v] of Object.entries(args)) if (v !== undefined) options[k] = v;
  return new LossFunctionWrapper(d, options, name ?? d.defaultName, reduction ?? 'sum_over_batch_size', backend);
}
