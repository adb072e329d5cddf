import { z } from 'zod';
import type { Activation as ActivationFunction } from '../activations/activation.js';
import { getActivation } from '../activations/index.js';
import { parseConfig } from '../config.js';
import { ActivationFunctionLayer } from './activation-function-layer.js';
import { type LayerConfig, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `LeakyReLU` layer (unknown properties are rejected). */
export const leakyReLUSchema = baseLayerSchema.extend({
  type: z.literal('LeakyReLU'),
  /** Slope for x < 0 (Keras 3 layer default 0.3, unlike the activation's 0.2; Keras rejects negative values). */
  negativeSlope: z.number().nonnegative().optional(),
}).strict();
/** Arguments of `LeakyReLU` as written in a model definition. */
export type LeakyReLUConfig = z.input<typeof leakyReLUSchema>;

/** Keras `LeakyReLU`: f(x) = x for x >= 0, negativeSlope·x otherwise — the `leaky_relu` activation. */
export class LeakyReLU extends ActivationFunctionLayer {
  readonly className = 'LeakyReLU';
  readonly negativeSlope: number;
  protected readonly fn: ActivationFunction;

  constructor(config: Omit<LeakyReLUConfig, 'type'> = {}) {
    const parsed = parseConfig(leakyReLUSchema, { ...config, type: 'LeakyReLU' });
    super(parsed);
    this.negativeSlope = parsed.negativeSlope ?? 0.3;
    this.fn = getActivation({ type: 'leaky_relu', negativeSlope: this.negativeSlope });
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), negativeSlope: this.negativeSlope };
  }
}
