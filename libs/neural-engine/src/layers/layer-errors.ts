import { ConfigError } from '../errors.js';
import { type Shape, formatShape } from '../tensor.js';

/**
 * The ConfigError a layer throws when it cannot take an input shape: it names the layer (name and class) and the
 * received per-sample shape, e.g. `layer "reshape_1" (Reshape): cannot reshape 6 values per sample to (4, -1); received
 * input shape (None, 2, 3)`.
 */
export function inputShapeError(layer: { name: string; className: string }, problem: string, inputShape: Shape): ConfigError {
  const who = layer.name ? `layer "${layer.name}" (${layer.className})` : `${layer.className} layer`;
  const received = formatShape(inputShape);
  const message = `${who}: ${problem}; received input shape ${received}`;
  return new ConfigError(message, [{ path: layer.name, message: `${problem}`, received }]);
}

/** Normalizes a Keras axis (which counts the batch axis as 0; negative counts from the end) for a tensor of `rank`. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
