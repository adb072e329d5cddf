import { z } from 'zod';
import { identifierSchema, parseConfig } from '../config.js';
import { describeValue } from '../errors.js';
import { Registry } from '../identifiers.js';
import { Accuracy, BinaryAccuracy, accuracySchema, binaryAccuracySchema } from './accuracy.js';
import {
  CategoricalAccuracy, SparseCategoricalAccuracy, categoricalAccuracySchema, sparseCategoricalAccuracySchema,
} from './categorical-accuracy.js';
import { AUC, aucSchema } from './auc.js';
import {
  FalseNegatives, FalsePositives, TrueNegatives, TruePositives, falseNegativesSchema, falsePositivesSchema,
  trueNegativesSchema, truePositivesSchema,
} from './confusion-counts.js';
import { F1Score, FBetaScore, f1ScoreSchema, fBetaScoreSchema } from './f-score.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import {
  PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity, precisionAtRecallSchema,
  recallAtPrecisionSchema, sensitivityAtSpecificitySchema, specificityAtSensitivitySchema,
} from './operating-point.js';
import { Precision, Recall, precisionSchema, recallSchema } from './precision-recall.js';
import type { Metric, MetricConfig } from './metric.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy,
  binaryCrossentropyMetricSchema, categoricalCrossentropyMetricSchema, klDivergenceMetricSchema, poissonMetricSchema,
  sparseCategoricalCrossentropyMetricSchema,
} from './probabilistic.js';
import { R2Score, r2ScoreSchema } from './r2-score.js';
import {
  CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
  MeanSquaredLogarithmicError, RootMeanSquaredError, cosineSimilarityMetricSchema, rootMeanSquaredErrorSchema,
} from './regression.js';
import {
  SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, sparseTopKCategoricalAccuracySchema, topKCategoricalAccuracySchema,
} from './top-k-accuracy.js';

/** A metric class: its strict object schema and a constructor taking the arguments without `type`. */
interface MetricClass {
  readonly schema: z.ZodObject;
  // The argument type differs per class; each constructor validates its own config.
  readonly create: (args: Record<string, unknown>) => Metric;
  /** Keras string identifiers (class name and snake_case name are always registered). */
  readonly aliases?: readonly string[];
  /** Whether a bare string builds it (false when Keras requires an argument, e.g. PrecisionAtRecall's recall). */
  readonly fromString?: boolean;
}

function entry<A>(schema: z.ZodObject, ctor: new (args: A) => Metric, extra: Partial<MetricClass> = {}): MetricClass {
  return { schema, create: (args) => new ctor(args as A), ...extra };
}

/** Every metric class by its Keras class name. */
const metricClasses: Record<string, MetricClass> = {
  Accuracy: entry(accuracySchema, Accuracy, { aliases: ['acc'] }),
  BinaryAccuracy: entry(binaryAccuracySchema, BinaryAccuracy),
  CategoricalAccuracy: entry(categoricalAccuracySchema, CategoricalAccuracy),
  SparseCategoricalAccuracy: entry(sparseCategoricalAccuracySchema, SparseCategoricalAccuracy),
  TopKCategoricalAccuracy: entry(topKCategoricalAccuracySchema, TopKCategoricalAccuracy),
  SparseTopKCategoricalAccuracy: entry(sparseTopKCategoricalAccuracySchema, SparseTopKCategoricalAccuracy),
  BinaryCrossentropy: entry(binaryCrossentropyMetricSchema, BinaryCrossentropy, { aliases: ['bce'] }),
  CategoricalCrossentropy: entry(categoricalCrossentropyMetricSchema, CategoricalCrossentropy),
  SparseCategoricalCrossentropy: entry(sparseCategoricalCrossentropyMetricSchema, SparseCategoricalCrossentropy),
  KLDivergence: entry(klDivergenceMetricSchema, KLDivergence),
  Poisson: entry(poissonMetricSchema, Poisson),
  MeanSquaredError: entry(MeanSquaredError.schema, MeanSquaredError, { aliases: ['mse'] }),
  RootMeanSquaredError: entry(rootMeanSquaredErrorSchema, RootMeanSquaredError),
  MeanAbsoluteError: entry(MeanAbsoluteError.schema, MeanAbsoluteError, { aliases: ['mae'] }),
  MeanAbsolutePercentageError: entry(MeanAbsolutePercentageError.schema, MeanAbsolutePercentageError, { aliases: ['mape'] }),
  MeanSquaredLogarithmicError: entry(MeanSquaredLogarithmicError.schema, MeanSquaredLogarithmicError, { aliases: ['msle'] }),
  CosineSimilarity: entry(cosineSimilarityMetricSchema, CosineSimilarity),
  LogCoshError: entry(LogCoshError.schema, LogCoshError),
  Hinge: entry(Hinge.schema, Hinge),
  SquaredHinge: entry(SquaredHinge.schema, SquaredHinge),
  CategoricalHinge: entry(CategoricalHinge.schema, CategoricalHinge),
  R2Score: entry(r2ScoreSchema, R2Score),
  AUC: entry(aucSchema, AUC),
  Precision: entry(precisionSchema, Precision),
  Recall: entry(recallSchema, Recall),
  TruePositives: entry(truePositivesSchema, TruePositives),
  TrueNegatives: entry(trueNegativesSchema, TrueNegatives),
  FalsePositives: entry(falsePositivesSchema, FalsePositives),
  FalseNegatives: entry(falseNegativesSchema, FalseNegatives),
  PrecisionAtRecall: entry(precisionAtRecallSchema, PrecisionAtRecall, { fromString: false }),
  RecallAtPrecision: entry(recallAtPrecisionSchema, RecallAtPrecision, { fromString: false }),
  SensitivityAtSpecificity: entry(sensitivityAtSpecificitySchema, SensitivityAtSpecificity, { fromString: false }),
  SpecificityAtSensitivity: entry(specificityAtSensitivitySchema, SpecificityAtSensitivity, { fromString: false }),
  F1Score: entry(f1ScoreSchema, F1Score),
  FBetaScore: entry(fBetaScoreSchema, FBetaScore),
};

/** Keras to_snake_case: `KLDivergence` → `kl_divergence`, `AUC` → `auc`. */
function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Metric names accepted as strings, in any spelling: each class's snake_case and class name (keras.metrics.get) plus
 * the Keras aliases `mse`, `mae`, `mape`, `msle`, `bce`, and `acc` (which Keras compile reads as `accuracy`).
 */
export const metricRegistry = new Registry<() => Metric>('metric');
for (const [className, cls] of Object.entries(metricClasses)) {
  if (cls.fromString === false) continue;
  metricRegistry.register(toSnakeCase(className), () => cls.create({}), [className, ...(cls.aliases ?? [])]);
}

const classNames = Object.keys(metricClasses);

type ObjectConfig = { type: string } & Record<string, unknown>;

/** The per-class strict schemas, chosen by `type`. */
const byTypeSchema = z.discriminatedUnion(
  'type',
  Object.values(metricClasses).map((c) => c.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<ObjectConfig, ObjectConfig>;

/**
 * An object config: `{type: "<KerasClassName>", ...camelCaseArgs}`, strict per class. The type is checked first so
 * an unknown one is reported at `type` with the list of known classes.
 */
const metricObjectSchema = z
  .object({
    type: z.string().refine((t) => Object.hasOwn(metricClasses, t), {
      error: (issue) => `unknown metric type ${describeValue(issue.input)}; expected one of ${classNames.join(', ')}`,
    }),
  })
  .loose()
  .pipe(byTypeSchema);

/** A metric config: a Keras name in any spelling (`"accuracy"`, `"mse"`, `"AUC"`) or `{type, name?, ...args}`. */
export const metricSchema: z.ZodType<MetricConfig> = z.union([identifierSchema(metricRegistry), metricObjectSchema], {
  error: (issue) => {
    const input = issue.input;
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      const type = (input as Record<string, unknown>).type;
      return `unknown metric type ${describeValue(type)}; expected one of ${classNames.join(', ')}`;
    }
    return `expected a metric name (one of ${metricRegistry.names().join(', ')}) or an object {type, ...}`;
  },
}) as z.ZodType<MetricConfig>;

/** Validates a metric config (ConfigError naming the path and value on failure) and builds the metric. */
export function getMetric(config: MetricConfig, path: readonly PropertyKey[] = []): Metric {
  if (typeof config === 'string') {
    parseConfig(identifierSchema(metricRegistry), config, path);
    return metricRegistry.get(config)();
  }
  const { type, ...args } = parseConfig(metricObjectSchema, config, path);
  return metricClasses[type]!.create(args);
}
