import { z } from 'zod';
import type { Activation as ActivationFunction, ActivationConfig } from '../activations/activation.js';
import { activationSchema, getActivation } from '../activations/index.js';
import { parseConfig } from '../config.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

export const activationLayerSchema = baseLayerSchema.extend({
  type: z.literal('Activation'),
  /** The activation function, by name or as an object. */
  activation: activationSchema,
}).strict();
export type ActivationLayerConfig = z.input<typeof activationLayerSchema>;

/**
 * Keras `Activation` layer (config type `Activation`): applies an activation function of activations/ element-wise.
 * The class is named ActivationLayer so that it does not clash with the activations' `Activation` interface.
 */
export class ActivationLayer extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationFunction;
  private forwardInput: Tensor | null = null;
  private forwardOutput: Tensor | null = null;

  constructor(config: Omit<ActivationLayerConfig, 'type'>) {
    const parsed = parseConfig(activationLayerSchema, { ...config, type: 'Activation' });
    super(parsed);
    this.activation = getActivation(parsed.activation);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return this.activation.computeOutputShape ? this.activation.computeOutputShape(inputShape) : [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const y = this.activation.apply(x, this.backend);
    if (training) {
      this.forwardInput = x;
      this.forwardOutput = y;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.forwardInput || !this.forwardOutput) throw new Error(`layer ${this.name}: backward called before a training forward`);
    return this.activation.gradient(this.forwardInput, this.forwardOutput, dy, this.backend);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), activation: this.activation.getConfig() as ActivationConfig };
  }
}
