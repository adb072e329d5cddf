import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

export const reluSchema = baseLayerSchema.extend({
  type: z.literal('ReLU'),
  /** Upper bound of the output (null: unbounded). Keras rejects negative values. */
  maxValue: z.number().nonnegative().nullable().optional(),
  /** Slope below the threshold. */
  negativeSlope: z.number().nonnegative().optional(),
  /** Inputs at or below it are sent to negativeSlope·(x - threshold). */
  threshold: z.number().nonnegative().optional(),
}).strict();
export type ReLUConfig = z.input<typeof reluSchema>;

/**
 * Keras `ReLU`: f(x) = min(x, maxValue) for x > threshold, negativeSlope·(x - threshold) otherwise. As in Keras'
 * implementation, x == threshold falls on the negative side (giving 0).
 */
export class ReLU extends Layer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  private lastInput: Tensor | null = null;

  constructor(config: Omit<ReLUConfig, 'type'> = {}) {
    const parsed = parseConfig(reluSchema, { ...config, type: 'ReLU' });
    super(parsed);
    this.maxValue = parsed.maxValue ?? null;
    this.negativeSlope = parsed.negativeSlope ?? 0;
    this.threshold = parsed.threshold ?? 0;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const { maxValue, negativeSlope: slope, threshold: t } = this;
    const max = maxValue ?? Infinity;
    if (training) this.lastInput = x;
    return this.backend.map(x, (v) => (v > t ? Math.min(v, max) : slope * (v - t)));
  }

  backward(dy: Tensor): Tensor {
    const x = this.lastInput;
    if (!x) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const { negativeSlope: slope, threshold: t } = this;
    const max = this.maxValue ?? Infinity;
    // The derivative is taken as the one of the side the forward pass used: clipped (0) from maxValue on.
    return this.backend.map2(x, dy, (v, g) => (v > t ? (v >= max ? 0 : g) : slope * g));
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
