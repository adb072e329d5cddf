import { z } from 'zod';
import type { Activation as ActivationFunction, ActivationConfig } from '../activations/activation.js';
import { activationSchema, getActivation } from '../activations/index.js';
import { parseConfig } from '../config.js';
import { ActivationFunctionLayer } from './activation-function-layer.js';
import { type LayerConfig, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `Activation` layer (unknown properties are rejected). */
export const activationLayerSchema = baseLayerSchema.extend({
  type: z.literal('Activation'),
  /** The activation function, by name or as an object. Required, as in Keras. */
  activation: activationSchema,
}).strict();
/** Arguments of `Activation` as written in a model definition. */
export type ActivationLayerConfig = z.input<typeof activationLayerSchema>;

/**
 * Keras `Activation` layer (config type `Activation`): applies an activation function of activations/ element-wise.
 * The class is named ActivationLayer so that it does not clash with the activations' `Activation` interface.
 */
export class ActivationLayer extends ActivationFunctionLayer {
  readonly className = 'Activation';
  protected readonly fn: ActivationFunction;

  constructor(config: Omit<ActivationLayerConfig, 'type'>) {
    const parsed = parseConfig(activationLayerSchema, { ...config, type: 'Activation' });
    super(parsed);
    this.fn = getActivation(parsed.activation);
  }

  /** The activation function applied. */
  get activation(): ActivationFunction {
    return this.fn;
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), activation: this.fn.getConfig() as ActivationConfig };
  }
}
