import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

export const leakyReLUSchema = baseLayerSchema.extend({
  type: z.literal('LeakyReLU'),
  /** Slope for x < 0 (Keras 3 layer default 0.3; Keras rejects negative values). */
  negativeSlope: z.number().nonnegative().optional(),
}).strict();
export type LeakyReLUConfig = z.input<typeof leakyReLUSchema>;

/** Keras `LeakyReLU`: f(x) = x for x >= 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly negativeSlope: number;
  private lastInput: Tensor | null = null;

  constructor(config: Omit<LeakyReLUConfig, 'type'> = {}) {
    const parsed = parseConfig(leakyReLUSchema, { ...config, type: 'LeakyReLU' });
    super(parsed);
    this.negativeSlope = parsed.negativeSlope ?? 0.3;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const slope = this.negativeSlope;
    if (training) this.lastInput = x;
    return this.backend.map(x, (v) => (v >= 0 ? v : slope * v));
  }

  backward(dy: Tensor): Tensor {
    const x = this.lastInput;
    if (!x) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const slope = this.negativeSlope;
    return this.backend.map2(x, dy, (v, g) => (v >= 0 ? g : slope * g));
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), negativeSlope: this.negativeSlope };
  }
}
