import { z } from 'zod';
import { parseConfig, rateSchema, seedSchema } from '../../config.js';
import { Rng } from '../../rng.js';
import type { Shape, Tensor } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type BaseLayerConfig, type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import { channelsLastSchema } from './data-format.js';

/** Strict config schema of the Keras `SpatialDropout1D` layer. */
export const spatialDropout1DSchema = baseLayerSchema.extend({
  type: z.literal('SpatialDropout1D'),
  /** Fraction of the channels to drop, in [0, 1). Required, as in Keras. */
  rate: rateSchema,
  /** Seeds the layer's own generator; without it the model's generator is used. */
  seed: seedSchema,
}).strict();
/** Arguments of `SpatialDropout1D` as written in a model definition. */
export type SpatialDropout1DConfig = z.input<typeof spatialDropout1DSchema>;

/** Strict config schema of the Keras `SpatialDropout2D` layer. */
export const spatialDropout2DSchema = baseLayerSchema.extend({
  type: z.literal('SpatialDropout2D'),
  /** Fraction of the channels to drop, in [0, 1). Required, as in Keras. */
  rate: rateSchema,
  dataFormat: channelsLastSchema,
  /** Seeds the layer's own generator; without it the model's generator is used. */
  seed: seedSchema,
}).strict();
/** Arguments of `SpatialDropout2D` as written in a model definition. */
export type SpatialDropout2DConfig = z.input<typeof spatialDropout2DSchema>;

/**
 * Dropout of whole channels (Keras SpatialDropout): in training, each (sample, channel) pair is zeroed with probability
 * `rate` across every step or pixel, and kept channels are scaled by 1/(1 - rate); in inference it is the identity.
 * Neighbouring steps or pixels are strongly correlated, so dropping single entries would barely regularize.
 */
abstract class SpatialDropout extends Layer {
  readonly rate: number;
  readonly seed: number | null;
  /** Rank of the per-sample input: 2 for (steps, channels), 3 for (rows, cols, channels). */
  protected abstract readonly sampleRank: number;
  /** Per-(sample, channel) scale of the last training forward: 0 or 1/(1 - rate). */
  private lastMask: Float64Array | null = null;

  constructor(parsed: BaseLayerConfig & { rate: number; seed?: number | null | undefined }) {
    super(parsed);
    this.rate = parsed.rate;
    this.seed = parsed.seed ?? null;
    // Created once, so a seeded layer draws a fresh (but reproducible) mask at every step.
    this.seededRng = this.seed === null ? null : new Rng(this.seed);
    // As Keras's Dropout (which SpatialDropout extends): the timestep mask passes through unchanged.
    this.supportsMasking = true;
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.sampleRank) {
      const axes = this.sampleRank === 2 ? '(batch, steps, channels)' : '(batch, rows, cols, channels)';
      throw inputShapeError(this, `expects an input of rank ${this.sampleRank + 1} ${axes}`, inputShape);
    }
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) {
      this.lastMask = null;
      return x;
    }
    const batch = x.shape[0] ?? 1;
    const channels = x.shape[x.shape.length - 1]!;
    const rng = this.random;
    const keepScale = 1 / (1 - this.rate);
    // Noise shape (batch, 1, [1,] channels), drawn in row-major order like Dropout's.
    const mask = new Float64Array(batch * channels);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() >= this.rate ? keepScale : 0;
    this.lastMask = mask;
    return this.scaled(x, mask, channels);
  }

  backward(dy: Tensor): Tensor {
    if (!this.lastMask) return dy;
    return this.scaled(dy, this.lastMask, dy.shape[dy.shape.length - 1]!);
  }

  /** t with each (sample, channel) scaled by its mask entry. */
  private scaled(t: Tensor, mask: Float64Array, channels: number): Tensor {
    const perSample = t.size / (t.shape[0] ?? 1);
    return this.backend.map(t, (v, i) => v * mask[Math.floor(i / perSample) * channels + (i % channels)]!);
  }
}

/** Keras `SpatialDropout1D`: drops whole feature channels of a (batch, steps, channels) input. */
export class SpatialDropout1D extends SpatialDropout {
  readonly className = 'SpatialDropout1D';
  protected readonly sampleRank = 2;

  constructor(config: Omit<SpatialDropout1DConfig, 'type'>) {
    super(parseConfig(spatialDropout1DSchema, { ...config, type: 'SpatialDropout1D' }));
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Keras `SpatialDropout2D`: drops whole channels (feature maps) of a (batch, rows, cols, channels) input. */
export class SpatialDropout2D extends SpatialDropout {
  readonly className = 'SpatialDropout2D';
  protected readonly sampleRank = 3;

  constructor(config: Omit<SpatialDropout2DConfig, 'type'>) {
    super(parseConfig(spatialDropout2DSchema, { ...config, type: 'SpatialDropout2D' }));
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), rate: this.rate, dataFormat: 'channels_last', seed: this.seed };
  }
}
