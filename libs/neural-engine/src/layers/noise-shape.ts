import { z } from 'zod';
import { positiveInt } from '../config.js';
import { ConfigError } from '../errors.js';
import { type Shape, formatShape, shapesEqual } from '../tensor.js';
import { broadcastIndex } from './broadcast.js';
import { inputShapeError } from './layer-errors.js';

/**
 * Keras `noise_shape` of Dropout and AlphaDropout: the shape of the random mask, batch axis included; null entries
 * take the input's size on that axis, and axes of size 1 share one draw (e.g. [null, 1, 1, null] drops whole channels).
 */
export const noiseShapeSchema = z.array(positiveInt.nullable()).nullable().optional();

/** Throws a ConfigError naming the layer when `noiseShape` cannot broadcast to a per-sample input shape. */
export function checkNoiseShape(layer: { name: string; className: string }, noiseShape: readonly (number | null)[], inputShape: Shape): void {
  if (noiseShape.length !== inputShape.length + 1) {
    throw inputShapeError(layer, `noiseShape ${JSON.stringify(noiseShape)} must have one entry per axis, batch axis included (${inputShape.length + 1})`, inputShape);
  }
  inputShape.forEach((d, k) => {
    const n = noiseShape[k + 1];
    if (n != null && n !== 1 && n !== d) {
      throw inputShapeError(layer, `noiseShape ${JSON.stringify(noiseShape)} does not broadcast: entry ${k + 1} must be null, 1 or ${d}`, inputShape);
    }
  });
}

/** Resolves a noise shape for a batched input shape and maps every input element to its mask element (cached per shape). */
export class NoiseBroadcast {
  private cached: { input: Shape; noise: Shape; index: Int32Array | null } | null = null;

  constructor(
    private readonly layer: { name: string; className: string },
    private readonly noiseShape: readonly (number | null)[] | null,
  ) {}

  /** The concrete noise shape for `inputShape`, and the index map (null when the mask has the input's own shape). */
  resolve(inputShape: Shape): { noise: Shape; index: Int32Array | null } {
    if (this.cached && shapesEqual(this.cached.input, inputShape)) return this.cached;
    let noise: Shape = inputShape;
    if (this.noiseShape) {
      noise = this.noiseShape.map((d, k) => d ?? inputShape[k]!);
      const batch = this.noiseShape[0];
      if (batch != null && batch !== 1 && batch !== inputShape[0]) {
        throw new ConfigError(
          `layer "${this.layer.name}" (${this.layer.className}): noiseShape ${JSON.stringify(this.noiseShape)} fixes the batch axis to ${batch}, which does not broadcast to a batch of ${inputShape[0]} (input ${formatShape(inputShape, false)})`,
        );
      }
    }
    const index = shapesEqual(noise, inputShape) ? null : broadcastIndex(inputShape, noise);
    this.cached = { input: [...inputShape], noise, index };
    return this.cached;
  }
}
