import { z } from 'zod';
import type { Tensor } from '../tensor.js';
import { binaryCrossentropyValues } from './binary-crossentropy.js';
import { binaryFocalCrossentropyValues } from './binary-focal-crossentropy.js';
import { categoricalCrossentropyValues } from './categorical-crossentropy.js';
import { categoricalFocalCrossentropyValues } from './categorical-focal-crossentropy.js';
import { cosineSimilarityValues } from './cosine-similarity.js';
import { type LossDefinition, defineLoss } from './definition.js';
import { type SegmentationAxes, diceValues, segmentationRowMap, tverskyValues } from './dice-tversky.js';
import { categoricalHingeValues, hingeValues, squaredHingeValues } from './hinge.js';
import { klDivergenceValues } from './kl-divergence.js';
import { rowMap } from './layout.js';
import { poissonValues } from './poisson.js';
import {
  huberValues,
  logCoshValues,
  meanAbsoluteErrorValues,
  meanAbsolutePercentageErrorValues,
  meanSquaredErrorValues,
  meanSquaredLogarithmicErrorValues,
} from './regression.js';
import { sparseCategoricalCrossentropyValues, sparseValidRows } from './sparse-categorical-crossentropy.js';

/*
 * The Keras 3 losses: class name, identifiers, arguments (camelCase, Keras defaults) and the pure function each wraps.
 */

const fromLogits = z.boolean();
const labelSmoothing = z.number().min(0).max(1);
const axis = z.number().int();
const gamma = z.number().min(0);
const lastAxis = (shape: readonly number[]) => rowMap(shape, [-1]);
const isLastAxis = (axis: number, rank: number) => axis === -1 || axis === rank - 1;

/** A loss without arguments that averages over the last axis. */
function simple(
  className: string,
  identifier: string,
  aliases: readonly string[],
  compute: (yTrue: Tensor, yPred: Tensor, grad?: Float64Array) => Float64Array,
  defaultName = identifier,
): LossDefinition {
  return defineLoss({
    className, identifier, aliases, defaultName, args: {}, defaults: {},
    compute: (yTrue, yPred, _options, grad) => compute(yTrue, yPred, grad),
    rowMap: lastAxis,
  });
}

/** Every loss, in Keras' order. */
export const lossDefinitions: readonly LossDefinition[] = [
  simple('KLDivergence', 'kl_divergence', ['kld', 'kullback_leibler_divergence'], klDivergenceValues),
  simple('Poisson', 'poisson', [], poissonValues),
  defineLoss<{ fromLogits: boolean; labelSmoothing: number; axis: number }>({
    className: 'BinaryCrossentropy', identifier: 'binary_crossentropy', aliases: ['bce'], defaultName: 'binary_crossentropy',
    args: { fromLogits, labelSmoothing, axis },
    defaults: { fromLogits: false, labelSmoothing: 0, axis: -1 },
    compute: binaryCrossentropyValues,
    rowMap: (shape, o) => rowMap(shape, [o.axis]),
  }),
  defineLoss<{ applyClassBalancing: boolean; alpha: number; gamma: number; fromLogits: boolean; labelSmoothing: number; axis: number }>({
    className: 'BinaryFocalCrossentropy', identifier: 'binary_focal_crossentropy', aliases: [], defaultName: 'binary_focal_crossentropy',
    args: { applyClassBalancing: z.boolean(), alpha: z.number().min(0).max(1), gamma, fromLogits, labelSmoothing, axis },
    defaults: { applyClassBalancing: false, alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1 },
    compute: binaryFocalCrossentropyValues,
    rowMap: (shape, o) => rowMap(shape, [o.axis]),
  }),
  defineLoss<{ fromLogits: boolean; labelSmoothing: number; axis: number }>({
    className: 'CategoricalCrossentropy', identifier: 'categorical_crossentropy', aliases: [], defaultName: 'categorical_crossentropy',
    args: { fromLogits, labelSmoothing, axis },
    defaults: { fromLogits: false, labelSmoothing: 0, axis: -1 },
    compute: categoricalCrossentropyValues,
    rowMap: (shape, o) => rowMap(shape, [o.axis]),
    softmaxBackward: (o, rank) => (!o.fromLogits && isLastAxis(o.axis, rank) ? { labelSmoothing: o.labelSmoothing, sparse: false } : null),
  }),
  defineLoss<{ alpha: number | number[]; gamma: number; fromLogits: boolean; labelSmoothing: number; axis: number }>({
    className: 'CategoricalFocalCrossentropy', identifier: 'categorical_focal_crossentropy', aliases: [],
    defaultName: 'categorical_focal_crossentropy',
    args: { alpha: z.union([z.number(), z.array(z.number()).min(1)]), gamma, fromLogits, labelSmoothing, axis },
    defaults: { alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1 },
    compute: categoricalFocalCrossentropyValues,
    rowMap: (shape, o) => rowMap(shape, [o.axis]),
  }),
  defineLoss<{ fromLogits: boolean; ignoreClass: number | null; axis: number }>({
    className: 'SparseCategoricalCrossentropy', identifier: 'sparse_categorical_crossentropy', aliases: [],
    defaultName: 'sparse_categorical_crossentropy',
    args: { fromLogits, ignoreClass: z.number().int().nullable(), axis },
    defaults: { fromLogits: false, ignoreClass: null, axis: -1 },
    compute: sparseCategoricalCrossentropyValues,
    rowMap: (shape, o) => rowMap(shape, [o.axis]),
    rowMask: (yTrue, o) => (o.ignoreClass === null ? null : sparseValidRows(yTrue, o.ignoreClass)),
    softmaxBackward: (o, rank) => (!o.fromLogits && isLastAxis(o.axis, rank) ? { labelSmoothing: 0, sparse: true } : null),
  }),
  simple('MeanSquaredError', 'mean_squared_error', ['mse'], meanSquaredErrorValues),
  simple('MeanAbsoluteError', 'mean_absolute_error', ['mae'], meanAbsoluteErrorValues),
  simple('MeanAbsolutePercentageError', 'mean_absolute_percentage_error', ['mape'], meanAbsolutePercentageErrorValues),
  simple('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', ['msle'], meanSquaredLogarithmicErrorValues),
  defineLoss<{ axis: number }>({
    className: 'CosineSimilarity', identifier: 'cosine_similarity', aliases: [], defaultName: 'cosine_similarity',
    args: { axis }, defaults: { axis: -1 },
    compute: cosineSimilarityValues,
    rowMap: (shape, o) => rowMap(shape, [o.axis]),
  }),
  simple('LogCosh', 'log_cosh', ['logcosh'], logCoshValues),
  defineLoss<{ delta: number }>({
    className: 'Huber', identifier: 'huber', aliases: ['huber_loss'], defaultName: 'huber_loss',
    args: { delta: z.number().positive() }, defaults: { delta: 1 },
    compute: (yTrue, yPred, o, grad) => huberValues(yTrue, yPred, o.delta, grad),
    rowMap: lastAxis,
  }),
  simple('Hinge', 'hinge', [], hingeValues),
  simple('SquaredHinge', 'squared_hinge', [], squaredHingeValues),
  simple('CategoricalHinge', 'categorical_hinge', [], categoricalHingeValues),
  defineLoss<{ axis: SegmentationAxes }>({
    className: 'Dice', identifier: 'dice', aliases: [], defaultName: 'dice',
    args: { axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).nullable() },
    defaults: { axis: null },
    compute: (yTrue, yPred, o, grad) => diceValues(yTrue, yPred, o.axis, grad),
    rowMap: (shape, o) => segmentationRowMap(shape, o.axis),
  }),
  defineLoss<{ alpha: number; beta: number; axis: SegmentationAxes }>({
    className: 'Tversky', identifier: 'tversky', aliases: [], defaultName: 'tversky',
    args: { alpha: z.number().min(0), beta: z.number().min(0), axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).nullable() },
    defaults: { alpha: 0.5, beta: 0.5, axis: null },
    compute: tverskyValues,
    rowMap: (shape, o) => segmentationRowMap(shape, o.axis),
  }),
];
