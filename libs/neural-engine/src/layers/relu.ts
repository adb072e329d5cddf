import { z } from 'zod';
import type { Activation as ActivationFunction } from '../activations/activation.js';
import { getActivation } from '../activations/index.js';
import { parseConfig } from '../config.js';
import { ActivationFunctionLayer } from './activation-function-layer.js';
import { type LayerConfig, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `ReLU` layer (unknown properties are rejected). */
export const reluSchema = baseLayerSchema.extend({
  type: z.literal('ReLU'),
  /** Upper bound of the output (null: unbounded). Keras rejects negative values. */
  maxValue: z.number().nonnegative().nullable().optional(),
  /** Slope below the threshold (Keras rejects negative values). */
  negativeSlope: z.number().nonnegative().optional(),
  /** Inputs at or below it are sent to negativeSlope·(x - threshold) (Keras rejects negative values). */
  threshold: z.number().nonnegative().optional(),
}).strict();
/** Arguments of `ReLU` as written in a model definition. */
export type ReLUConfig = z.input<typeof reluSchema>;

/**
 * Keras `ReLU`: f(x) = min(x, maxValue) for x > threshold, negativeSlope·(x - threshold) otherwise — the `relu`
 * activation with these arguments.
 */
export class ReLU extends ActivationFunctionLayer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  protected readonly fn: ActivationFunction;

  constructor(config: Omit<ReLUConfig, 'type'> = {}) {
    const parsed = parseConfig(reluSchema, { ...config, type: 'ReLU' });
    super(parsed);
    this.maxValue = parsed.maxValue ?? null;
    this.negativeSlope = parsed.negativeSlope ?? 0;
    this.threshold = parsed.threshold ?? 0;
    this.fn = getActivation({ type: 'relu', maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold });
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
