import { encodeTargets, type TrainingDataPlan } from '@kiln/datasets';
import { DataError, formatShape, type Model, type ModelDefinition, Normalization, shapeSize } from '@kiln/neural-engine';
import type { TrainerArrays } from '../trainer-protocol.js';

/** Data as fit takes it: the full shape (samples first) and flat values. */
export interface ShapedData {
  shape: number[];
  data: Float32Array;
}

/**
 * A dataset's arrays as model inputs and targets: x reshaped to the model's input shape (same number of values per
 * row, e.g. 64 pixels → [8, 8, 1]), y encoded as the plan says (class indices, one-hot, or raw values).
 */
export function modelData(model: Model, plan: TrainingDataPlan, arrays: TrainerArrays, label: string): { x: ShapedData; y: ShapedData } {
  if (model.inputNames.length !== 1) {
    throw new DataError(`the model has ${model.inputNames.length} inputs (${model.inputNames.join(', ')}); a dataset feeds exactly one`);
  }
  const inputShape = [...model.inputShape];
  const perRow = shapeSize(inputShape);
  if (arrays.x.length !== arrays.rows * perRow) {
    throw new DataError(`${label} features have ${arrays.x.length / Math.max(arrays.rows, 1)} values per row; the model input ${formatShape(inputShape, false)} needs ${perRow}`);
  }
  const y = encodeTargets(arrays.y, arrays.rows, plan);
  return { x: { shape: [arrays.rows, ...inputShape], data: arrays.x }, y: { shape: [arrays.rows, ...plan.targetShape], data: y } };
}

/**
 * Adapts every Normalization layer that reads the model input and has no mean and variance in its config, as a
 * Keras user calls `layer.adapt(x_train)` before fit. Only the training rows count (not a validationSplit tail).
 * Only on a fresh start: checkpoints and initial weights already hold the statistics.
 */
export function adaptInputNormalization(model: Model, definition: ModelDefinition, x: ShapedData, trainingRows: number): string[] {
  const adapted: string[] = [];
  for (const index of inputReaderIndexes(model, definition)) {
    const layer = model.layers[index];
    if (!(layer instanceof Normalization) || layer.getConfig().mean != null) continue;
    const perRow = shapeSize(x.shape.slice(1));
    layer.adapt({ shape: [trainingRows, ...x.shape.slice(1)], data: x.data.subarray(0, trainingRows * perRow) });
    adapted.push(layer.name);
  }
  return adapted;
}

/** Indexes (in model.layers) of the layers applied directly to the model input. */
function inputReaderIndexes(model: Model, definition: ModelDefinition): number[] {
  // In a Sequential model, an explicit Input layer comes first and the layer after it reads the input.
  if (definition.type === 'Sequential') return model.layers[0]?.className === 'InputLayer' ? [1] : [0];
  const inputs = new Set(definition.inputs.map((i) => i.name));
  const indexes: number[] = [];
  definition.layers.forEach((layer, i) => {
    const inbound = layer.inbound as string[];
    if (inbound.length === 1 && inputs.has(inbound[0]!.replace(/:0$/, ''))) indexes.push(i);
  });
  return indexes;
}
