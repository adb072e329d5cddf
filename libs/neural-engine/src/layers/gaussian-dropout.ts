import { z } from 'zod';
import { parseConfig, rateSchema, seedSchema } from '../config.js';
import { Rng } from '../rng.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `GaussianDropout` layer (unknown properties are rejected). */
export const gaussianDropoutSchema = baseLayerSchema.extend({
  type: z.literal('GaussianDropout'),
  /** Drop probability in [0, 1); the noise has variance rate / (1 - rate). Required, as in Keras. */
  rate: rateSchema,
  seed: seedSchema,
}).strict();
/** Arguments of `GaussianDropout` as written in a model definition. */
export type GaussianDropoutConfig = z.input<typeof gaussianDropoutSchema>;

/** Keras `GaussianDropout`: in training, x·n with n ~ N(1, rate/(1 - rate)) per element; identity in inference. */
export class GaussianDropout extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  readonly className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  private lastNoise: Tensor | null = null;

  constructor(config: Omit<GaussianDropoutConfig, 'type'>) {
    const parsed = parseConfig(gaussianDropoutSchema, { ...config, type: 'GaussianDropout' });
    super(parsed);
    this.rate = parsed.rate;
    this.seed = parsed.seed ?? null;
    this.seededRng = this.seed === null ? null : new Rng(this.seed);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) {
      this.lastNoise = null;
      return x;
    }
    const rng = this.random;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    const noise = this.backend.zeros(x.shape);
    this.backend.map(noise, () => rng.normal(1, stddev), noise);
    this.lastNoise = noise;
    return this.backend.multiply(x, noise);
  }

  backward(dy: Tensor): Tensor {
    return this.lastNoise ? this.backend.multiply(dy, this.lastNoise) : dy;
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), rate: this.rate, seed: this.seed };
  }
}
