import { z } from 'zod';
import { parseConfig, rateSchema, seedSchema } from '../config.js';
import { Rng } from '../rng.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';
import { NoiseBroadcast, checkNoiseShape, noiseShapeSchema } from './noise-shape.js';

/** Strict config schema of the Keras `AlphaDropout` layer (unknown properties are rejected). */
export const alphaDropoutSchema = baseLayerSchema.extend({
  type: z.literal('AlphaDropout'),
  /** Drop probability in [0, 1). Required, as in Keras. */
  rate: rateSchema,
  noiseShape: noiseShapeSchema,
  seed: seedSchema,
}).strict();
/** Arguments of `AlphaDropout` as written in a model definition. */
export type AlphaDropoutConfig = z.input<typeof alphaDropoutSchema>;

/** SELU's negative saturation value, -scale·alpha, which dropped units are set to. */
export const ALPHA_P = -1.7580993408473766;

/**
 * Keras `AlphaDropout`: in training, dropped units are set to alpha_p and the result goes through the affine map
 * a·x + b chosen so that a zero-mean, unit-variance input keeps its mean and variance (self-normalizing networks):
 * a = ((1 - rate)(1 + rate·alpha_p²))^-1/2, b = -a·alpha_p·rate. Identity in inference.
 */
export class AlphaDropout extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  readonly className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly broadcast: NoiseBroadcast;
  private lastKept: { kept: Tensor; index: Int32Array | null } | null = null;

  constructor(config: Omit<AlphaDropoutConfig, 'type'>) {
    const parsed = parseConfig(alphaDropoutSchema, { ...config, type: 'AlphaDropout' });
    super(parsed);
    this.rate = parsed.rate;
    this.noiseShape = parsed.noiseShape ? [...parsed.noiseShape] : null;
    this.seed = parsed.seed ?? null;
    this.seededRng = this.seed === null ? null : new Rng(this.seed);
    this.broadcast = new NoiseBroadcast(this, this.noiseShape);
  }

  /** The affine correction (a, b) for this layer's rate. */
  get affine(): { a: number; b: number } {
    const r = this.rate;
    const a = ((1 - r) * (1 + r * ALPHA_P * ALPHA_P)) ** -0.5;
    return { a, b: -a * ALPHA_P * r };
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (this.noiseShape) checkNoiseShape(this, this.noiseShape, inputShape);
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) {
      this.lastKept = null;
      return x;
    }
    const { noise, index } = this.broadcast.resolve(x.shape);
    const kept = this.backend.keepMask(noise, this.rate, 1, this.random);
    this.lastKept = { kept, index };
    const k = kept.data;
    const { a, b } = this.affine;
    return this.backend.map(x, (v, i) => {
      const keep = k[index ? index[i]! : i]!;
      return a * (v * keep + ALPHA_P * (1 - keep)) + b;
    });
  }

  backward(dy: Tensor): Tensor {
    if (!this.lastKept) return dy;
    const { kept, index } = this.lastKept;
    const k = kept.data;
    const a = this.affine.a;
    return this.backend.map(dy, (g, i) => a * g * k[index ? index[i]! : i]!);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), rate: this.rate, noiseShape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed };
  }
}
