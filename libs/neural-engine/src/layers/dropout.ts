import { z } from 'zod';
import { parseConfig, rateSchema, seedSchema } from '../config.js';
import { Rng } from '../rng.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';
import { NoiseBroadcast, checkNoiseShape, noiseShapeSchema } from './noise-shape.js';

/** Strict config schema of the Keras `Dropout` layer (unknown properties are rejected). */
export const dropoutSchema = baseLayerSchema.extend({
  type: z.literal('Dropout'),
  /** Fraction of the units to drop, in [0, 1). Required, as in Keras. */
  rate: rateSchema,
  noiseShape: noiseShapeSchema,
  /** Seeds the layer's own generator; without it the model's generator is used. */
  seed: seedSchema,
}).strict();
/** Arguments of `Dropout` as written in a model definition. */
export type DropoutConfig = z.input<typeof dropoutSchema>;

/**
 * Keras `Dropout` (inverted dropout): in training, each unit (or each noiseShape group) is zeroed with probability
 * `rate` and the survivors are scaled by 1/(1 - rate), so the expectation is unchanged; in inference it is the identity.
 */
export class Dropout extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly broadcast: NoiseBroadcast;
  private lastMask: { mask: Tensor; index: Int32Array | null } | null = null;

  constructor(config: Omit<DropoutConfig, 'type'>) {
    const parsed = parseConfig(dropoutSchema, { ...config, type: 'Dropout' });
    super(parsed);
    this.rate = parsed.rate;
    this.noiseShape = parsed.noiseShape ? [...parsed.noiseShape] : null;
    this.seed = parsed.seed ?? null;
    // Created once, so a seeded layer draws a fresh (but reproducible) mask at every step.
    this.seededRng = this.seed === null ? null : new Rng(this.seed);
    this.broadcast = new NoiseBroadcast(this, this.noiseShape);
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (this.noiseShape) checkNoiseShape(this, this.noiseShape, inputShape);
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) {
      this.lastMask = null;
      return x;
    }
    const { noise, index } = this.broadcast.resolve(x.shape);
    const mask = this.backend.keepMask(noise, this.rate, 1 / (1 - this.rate), this.random);
    this.lastMask = { mask, index };
    const m = mask.data;
    return index ? this.backend.map(x, (v, i) => v * m[index[i]!]!) : this.backend.multiply(x, mask);
  }

  backward(dy: Tensor): Tensor {
    if (!this.lastMask) return dy;
    const { mask, index } = this.lastMask;
    const m = mask.data;
    return index ? this.backend.map(dy, (g, i) => g * m[index[i]!]!) : this.backend.multiply(dy, mask);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), rate: this.rate, noiseShape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed };
  }
}
