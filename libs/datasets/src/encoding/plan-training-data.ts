import { z } from 'zod';
import type { ColumnStats } from '../core/column-stats.js';
import { DatasetError } from '../core/dataset-error.js';
import type { DatasetSummary } from '../core/dataset-writer.js';
import { MAX_COUNTED_CLASSES } from '../core/label-collector.js';
import { lossTargets } from './loss-kind.js';

/** How the worker feeds a dataset to a model: x reshaped to `inputShape`, y encoded as `targetEncoding`. */
export interface TrainingDataPlan {
  /** The model's per-sample input shape; x's flat rows are reused as they are with this shape. */
  inputShape: number[];
  /** one-hot: class indices become one-hot rows; index: class indices kept; raw: labels used as they are. */
  targetEncoding: 'one-hot' | 'index' | 'raw';
  /** one-hot: the output's units; index: the dataset's classes (≤ units); raw: null. */
  numClasses: number | null;
  /** Per-sample shape of the encoded targets. */
  targetShape: number[];
  /** The loss' Keras identifier, for messages. */
  loss?: string;
  /** sparse_categorical_crossentropy's ignoreClass: labels equal to it are allowed (and masked by the loss). */
  ignoreClass?: number | null;
}

/** What planning needs of a dataset (a summary, or a stored dataset row whose JSON columns are checked here). */
export type PlanDataset = Pick<DatasetSummary, 'rows' | 'featureShape' | 'labelShape' | 'classNames' | 'classCounts'> & { labelStats: unknown };

/** Per-sample shapes of a model's inputs and outputs (no batch dimension). */
export interface ModelShapes {
  inputShapes: number[][];
  outputShapes: number[][];
}

const statsSchema = z.array(z.object({ min: z.number(), max: z.number(), mean: z.number() }).loose());

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function mismatch(message: string): DatasetError {
  return new DatasetError('SHAPE_MISMATCH', message);
}

/**
 * Checks that a dataset can train a model under a loss and says how to feed it: the model must have one input and
 * one output; prod(input shape) must equal prod(featureShape); targets are one-hot encoded for categorical losses
 * given class labels, kept as indices for sparse losses, and used as they are otherwise. Throws SHAPE_MISMATCH or
 * INVALID_LABEL naming both sides.
 */
export function planTrainingData(dataset: PlanDataset, model: ModelShapes, loss: unknown): TrainingDataPlan {
  const { inputShapes, outputShapes } = model;
  if (inputShapes.length !== 1 || outputShapes.length !== 1) {
    throw mismatch(`the model has ${plural(inputShapes.length, 'input')} and ${plural(outputShapes.length, 'output')}; `
      + 'a dataset can feed only a model with one input and one output');
  }
  const input = inputShapes[0]!;
  const output = outputShapes[0]!;
  const features = size(dataset.featureShape);
  if (size(input) !== features) {
    const shape = dataset.featureShape.length > 1 ? ` (shape ${fmt(dataset.featureShape)})` : '';
    throw mismatch(`the model's input shape ${fmt(input)} takes ${size(input)} values per sample; dataset features have ${features}${shape}`);
  }
  const targets = lossTargets(loss);
  const units = output[output.length - 1] ?? 1;
  const outSize = size(output);
  const labelSize = size(dataset.labelShape);
  const plan = (targetEncoding: TrainingDataPlan['targetEncoding'], numClasses: number | null, targetShape: number[]): TrainingDataPlan => ({
    inputShape: [...input], targetEncoding, numClasses, targetShape, loss: targets.name, ignoreClass: targets.ignoreClass,
  });
  const labels = `the dataset labels have shape ${fmt(dataset.labelShape)}`;

  if (targets.kind === 'categorical') {
    if (labelSize === outSize) return plan('raw', null, [...output]);
    if (labelSize * units === outSize) {
      checkClassLabels(dataset, units, targets.name, null);
      return plan('one-hot', units, [...output]);
    }
    throw mismatch(`the model outputs ${fmt(output)}; ${targets.name} needs labels of that shape (one-hot) or one class index per `
      + `output row (shape ${fmt([...output.slice(0, -1), 1])}); ${labels}`);
  }
  if (targets.kind === 'sparse') {
    if (labelSize * units === outSize) {
      const classes = checkClassLabels(dataset, units, targets.name, targets.ignoreClass);
      return plan('index', classes, [...output.slice(0, -1), 1]);
    }
    const hint = labelSize === outSize ? ' (one-hot labels? use categorical_crossentropy)' : '';
    throw mismatch(`${targets.name} takes one class index per output row (shape ${fmt([...output.slice(0, -1), 1])} for an output of `
      + `${fmt(output)}); ${labels}${hint}`);
  }
  if (labelSize === outSize) return plan('raw', null, [...output]);
  const hint = labelSize * units === outSize && units > 1 ? '; class labels with this output need categorical_crossentropy or sparse_categorical_crossentropy' : '';
  throw mismatch(`the model outputs ${fmt(output)} (${plural(outSize, 'value')} per sample); ${labels} (${plural(labelSize, 'value')}); `
    + `with ${targets.name} they must have the same size${hint}`);
}

/**
 * Checks what the summary can tell about class labels against `units`: at most `units` classes, indices in
 * [0, units), integers. Returns the number of classes. encodeTargets re-checks every label with its row.
 */
function checkClassLabels(dataset: PlanDataset, units: number, loss: string, ignoreClass: number | null): number {
  if (dataset.classNames) {
    if (dataset.classNames.length > units) {
      const shown = dataset.classNames.slice(0, 10).map((c) => JSON.stringify(c)).join(', ');
      throw new DatasetError('INVALID_LABEL', `the dataset has ${dataset.classNames.length} classes (${shown}${dataset.classNames.length > 10 ? ', ...' : ''}) `
        + `but the model outputs ${units} units; ${loss} needs one unit per class`);
    }
    return dataset.classNames.length;
  }
  const parsed = statsSchema.safeParse(dataset.labelStats);
  if (!parsed.success || parsed.data.length === 0) return units; // nothing to check here; encodeTargets checks every label
  const stats = parsed.data as Pick<ColumnStats, 'min' | 'max' | 'mean'>[];
  const min = Math.min(...stats.map((s) => s.min));
  const max = Math.max(...stats.map((s) => s.max));
  // The ignored class may lie outside [0, units) (Keras masks it); encodeTargets then checks the other labels.
  const lowOk = min >= 0 || min === ignoreClass;
  const highOk = max < units || max === ignoreClass;
  if (!lowOk || !highOk) {
    throw new DatasetError('INVALID_LABEL', `labels range over [${min}, ${max}]; with ${units} output units, ${loss} needs integer class labels in [0, ${units})`);
  }
  // With at most MAX_COUNTED_CLASSES units, integer labels in range have few distinct values, so the parser counted
  // them; no counts for one label column therefore means some label is not an integer.
  if (dataset.classCounts === null && size(dataset.labelShape) === 1 && units < MAX_COUNTED_CLASSES) {
    throw new DatasetError('INVALID_LABEL', `labels are not all integers (they range over [${min}, ${max}] with mean ${stats[0]!.mean}); `
      + `${loss} needs integer class labels in [0, ${units})`);
  }
  return dataset.classCounts ? Math.max(...Object.keys(dataset.classCounts).map(Number)) + 1 : Math.floor(max) + 1;
}
