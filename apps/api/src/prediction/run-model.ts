import type { Model } from '@kiln/neural-engine';

/** Samples per forward pass: bounds the activations held at once, whatever the request's size. */
export const PREDICT_BATCH_SIZE = 256;

/** One output of a prediction: `rows` samples of the output's shape, flat. */
export interface PredictionOutput {
  shape: number[];
  data: Float32Array;
}

/**
 * Runs a model on flat inputs in inference mode. The main thread (tiny batches) and the prediction threads both call
 * this, with the same batch size, so a result does not depend on where it was computed.
 */
export function runModel(model: Model, inputs: readonly Float32Array[], rows: number): PredictionOutput[] {
  const feed = Object.fromEntries(model.inputNames.map((name, k) => [name, { shape: [rows, ...model.inputShapes[k]!], data: inputs[k]! }]));
  return model.predictOutputs(feed, { batchSize: PREDICT_BATCH_SIZE }).map((tensor) => ({
    shape: [...tensor.shape],
    // The engine computes in float32 here; a float64 backend would be converted rather than sent as is.
    data: tensor.data instanceof Float32Array ? tensor.data : Float32Array.from(tensor.data),
  }));
}
