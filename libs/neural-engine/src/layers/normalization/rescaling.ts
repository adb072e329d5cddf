import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { Shape, Tensor } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from '../layer.js';

/** A scalar, or a list broadcast over the last axis as NumPy broadcasts a 1-D array. */
const scalarOrVector = z.union([z.number().finite(), z.array(z.number().finite()).min(1)]);

/** Strict config schema of the Keras `Rescaling` layer. */
export const rescalingSchema = baseLayerSchema.extend({
  type: z.literal('Rescaling'),
  /** Multiplier (e.g. 1/255 to bring pixels to [0, 1]). */
  scale: scalarOrVector,
  /** Added after scaling (default 0). */
  offset: scalarOrVector.optional(),
}).strict();
/** Arguments of `Rescaling` as written in a model definition. */
export type RescalingConfig = z.input<typeof rescalingSchema>;

/** Keras `Rescaling`: y = x·scale + offset. */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(config: Omit<RescalingConfig, 'type'>) {
    const parsed = parseConfig(rescalingSchema, { ...config, type: 'Rescaling' });
    super(parsed);
    this.scale = parsed.scale;
    this.offset = parsed.offset ?? 0;
    this.supportsMasking = true;
  }

  computeOutputShape(inputShape: Shape): Shape {
    const last = inputShape[inputShape.length - 1];
    for (const [name, v] of [['scale', this.scale], ['offset', this.offset]] as const) {
      if (Array.isArray(v) && v.length !== 1 && v.length !== last) {
        throw inputShapeError(this, `${name} has ${v.length} values, which do not broadcast over the last axis`, inputShape);
      }
    }
    return [...inputShape];
  }

  /** The value of a scalar-or-vector argument for flat element i. */
  private static at(v: number | number[], i: number, last: number): number {
    return typeof v === 'number' ? v : v.length === 1 ? v[0]! : v[i % last]!;
  }

  forward(x: Tensor, _training: boolean): Tensor {
    const last = x.shape[x.shape.length - 1] ?? 1;
    return this.backend.map(x, (v, i) => v * Rescaling.at(this.scale, i, last) + Rescaling.at(this.offset, i, last));
  }

  backward(dy: Tensor): Tensor {
    const last = dy.shape[dy.shape.length - 1] ?? 1;
    return this.backend.map(dy, (g, i) => g * Rescaling.at(this.scale, i, last));
  }

  getConfig(): LayerConfig {
    const copy = (v: number | number[]): number | number[] => (typeof v === 'number' ? v : [...v]);
    return { ...this.baseConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }
}
