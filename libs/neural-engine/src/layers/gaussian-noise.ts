import { z } from 'zod';
import { parseConfig, seedSchema } from '../config.js';
import { Rng } from '../rng.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `GaussianNoise` layer (unknown properties are rejected). */
export const gaussianNoiseSchema = baseLayerSchema.extend({
  type: z.literal('GaussianNoise'),
  /** Standard deviation of the noise; Keras 3 requires 0 <= stddev <= 1. Required, as in Keras. */
  stddev: z.number().min(0).max(1),
  seed: seedSchema,
}).strict();
/** Arguments of `GaussianNoise` as written in a model definition. */
export type GaussianNoiseConfig = z.input<typeof gaussianNoiseSchema>;

/** Keras `GaussianNoise`: in training, x + n with n ~ N(0, stddev²) per element; identity in inference. */
export class GaussianNoise extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;

  constructor(config: Omit<GaussianNoiseConfig, 'type'>) {
    const parsed = parseConfig(gaussianNoiseSchema, { ...config, type: 'GaussianNoise' });
    super(parsed);
    this.stddev = parsed.stddev;
    this.seed = parsed.seed ?? null;
    this.seededRng = this.seed === null ? null : new Rng(this.seed);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (!training || this.stddev === 0) return x;
    const rng = this.random;
    const stddev = this.stddev;
    return this.backend.map(x, (v) => v + rng.normal(0, stddev));
  }

  /** Additive noise does not depend on x: the gradient passes through unchanged. */
  backward(dy: Tensor): Tensor {
    return dy;
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), stddev: this.stddev, seed: this.seed };
  }
}
