import {
  binaryCrossentropyValues, categoricalCrossentropyValues, categoricalHingeValues, cosineSimilarityValues, hingeValues,
  klDivergenceValues, logCoshValues, meanAbsoluteErrorValues, meanAbsolutePercentageErrorValues, meanSquaredErrorValues,
  meanSquaredLogarithmicErrorValues, poissonValues, sparseCategoricalCrossentropyValues, squaredHingeValues,
} from '../losses/index.js';
import type { Tensor } from '../tensor.js';

/*
 * The per-row loss functions of losses/ adapted to metrics: a metric reports one value per sample, so a rank-1 batch
 * [batch] is read as [batch, 1] (a loss would average it into a single row for the whole batch).
 */

/** A per-row function of (yTrue, yPred), rows grouped by sample. */
export type RowFunction = (yTrue: Tensor, yPred: Tensor) => Float64Array;

/** `t` seen as [batch, 1] when it is rank 1: the same storage with another shape (no copy). */
export function asSampleColumn(t: Tensor): Tensor {
  return t.shape.length === 1 ? { shape: [t.shape[0]!, 1], size: t.size, data: t.data } : t;
}

/** Adapts a loss' per-row function so rank-1 batches give one row per sample. */
function perSample(fn: RowFunction): RowFunction {
  return (yTrue, yPred) => fn(asSampleColumn(yTrue), asSampleColumn(yPred));
}

/** Binary crossentropy per row (mean over the last axis). */
export function binaryCrossentropyRows(fromLogits: boolean, labelSmoothing: number): RowFunction {
  return perSample((t, p) => binaryCrossentropyValues(t, p, { fromLogits, labelSmoothing }));
}

/** Categorical crossentropy per row over `axis`. */
export function categoricalCrossentropyRows(fromLogits: boolean, labelSmoothing: number, axis: number): RowFunction {
  return (t, p) => categoricalCrossentropyValues(t, p, { fromLogits, labelSmoothing, axis });
}

/** Sparse categorical crossentropy per row over `axis`. */
export function sparseCategoricalCrossentropyRows(fromLogits: boolean, axis: number): RowFunction {
  return (t, p) => sparseCategoricalCrossentropyValues(t, p, { fromLogits, axis });
}

/** Cosine similarity per row over `axis`, with the metric's sign (+1 for aligned vectors; the loss is its negative). */
export function cosineSimilarityRows(axis: number): RowFunction {
  return perSample((t, p) => cosineSimilarityValues(t, p, { axis }).map((v) => -v));
}

/** Kullback-Leibler divergence per row. */
export const klDivergenceRows: RowFunction = perSample(klDivergenceValues);
/** Poisson per row. */
export const poissonRows: RowFunction = perSample(poissonValues);
/** Mean squared error per row. */
export const meanSquaredErrorRows: RowFunction = perSample(meanSquaredErrorValues);
/** Mean absolute error per row. */
export const meanAbsoluteErrorRows: RowFunction = perSample(meanAbsoluteErrorValues);
/** Mean absolute percentage error per row. */
export const meanAbsolutePercentageErrorRows: RowFunction = perSample(meanAbsolutePercentageErrorValues);
/** Mean squared logarithmic error per row. */
export const meanSquaredLogarithmicErrorRows: RowFunction = perSample(meanSquaredLogarithmicErrorValues);
/** Log-cosh per row. */
export const logCoshRows: RowFunction = perSample(logCoshValues);
/** Hinge per row (0/1 labels mapped to -1/1). */
export const hingeRows: RowFunction = perSample(hingeValues);
/** Squared hinge per row. */
export const squaredHingeRows: RowFunction = perSample(squaredHingeValues);
/** Categorical hinge per row. */
export const categoricalHingeRows: RowFunction = perSample(categoricalHingeValues);
