import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

export const eluSchema = baseLayerSchema.extend({
  type: z.literal('ELU'),
  /** Scale of the negative part (Keras default 1). */
  alpha: z.number().optional(),
}).strict();
export type ELUConfig = z.input<typeof eluSchema>;

/** Keras `ELU`: f(x) = x for x > 0, alpha·(exp(x) - 1) otherwise. */
export class ELU extends Layer {
  readonly className = 'ELU';
  readonly alpha: number;
  private forwardInput: Tensor | null = null;
  private forwardOutput: Tensor | null = null;

  constructor(config: Omit<ELUConfig, 'type'> = {}) {
    const parsed = parseConfig(eluSchema, { ...config, type: 'ELU' });
    super(parsed);
    this.alpha = parsed.alpha ?? 1;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const alpha = this.alpha;
    const y = this.backend.map(x, (v) => (v > 0 ? v : alpha * Math.expm1(v)));
    if (training) {
      this.forwardInput = x;
      this.forwardOutput = y;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = this.forwardInput;
    const y = this.forwardOutput;
    if (!x || !y) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const alpha = this.alpha;
    const yd = y.data;
    // For x <= 0, d/dx alpha·(e^x - 1) = alpha·e^x = y + alpha, which reuses the forward output.
    return this.backend.map2(x, dy, (v, g, i) => (v > 0 ? g : g * (yd[i]! + alpha)));
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), alpha: this.alpha };
  }
}
