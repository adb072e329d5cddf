import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import type { Shape } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { type SampleMap, gatherMap, stridesOf } from './sample-map.js';
import { SampleMapLayer } from './sample-map-layer.js';

/** True when `dims` holds each of 1..dims.length exactly once. */
function isPermutation(dims: readonly number[]): boolean {
  const seen = new Set(dims);
  return seen.size === dims.length && dims.every((d) => d >= 1 && d <= dims.length);
}

/** Strict config schema of the Keras `Permute` layer. */
export const permuteSchema = baseLayerSchema.extend({
  type: z.literal('Permute'),
  /** New order of the per-sample axes, 1-based as in Keras (the batch axis, 0, stays first): [2, 1] swaps two axes. */
  dims: z.array(positiveInt).min(1).refine(isPermutation, {
    error: 'dims must be a permutation of 1..n (each of 1, 2, ..., n exactly once; axis 1 is the first axis after the batch)',
  }),
}).strict();
/** Arguments of `Permute` as written in a model definition. */
export type PermuteConfig = z.input<typeof permuteSchema>;

/** Keras `Permute`: output axis k (after the batch) is input axis dims[k]. */
export class Permute extends SampleMapLayer {
  readonly className = 'Permute';
  readonly dims: readonly number[];

  constructor(config: Omit<PermuteConfig, 'type'>) {
    const parsed = parseConfig(permuteSchema, { ...config, type: 'Permute' });
    super(parsed);
    this.dims = [...parsed.dims];
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.dims.length) {
      throw inputShapeError(this, `dims ${JSON.stringify(this.dims)} permute ${this.dims.length} axes, but the input has ${inputShape.length} axes after the batch`, inputShape);
    }
    return this.dims.map((d) => inputShape[d - 1]!);
  }

  protected sampleMap(inputShape: Shape, outputShape: Shape): SampleMap {
    const strides = stridesOf(inputShape);
    // Output coordinate k indexes input axis dims[k] - 1.
    const outStrides = this.dims.map((d) => strides[d - 1]!);
    return gatherMap(inputShape, outputShape, (coords) => {
      let j = 0;
      for (let k = 0; k < coords.length; k++) j += coords[k]! * outStrides[k]!;
      return j;
    });
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), dims: [...this.dims] };
  }
}
