import { z } from 'zod';
import type { Activation as ActivationFunction } from '../activations/activation.js';
import { getActivation } from '../activations/index.js';
import { parseConfig } from '../config.js';
import type { Shape } from '../tensor.js';
import { ActivationFunctionLayer } from './activation-function-layer.js';
import { inputShapeError, normalizeAxis } from './layer-errors.js';
import { type LayerConfig, baseLayerSchema } from './layer.js';
import { SoftmaxOverAxes } from './softmax-over-axes.js';

/** Strict config schema of the Keras `Softmax` layer (unknown properties are rejected). */
export const softmaxSchema = baseLayerSchema.extend({
  type: z.literal('Softmax'),
  /** Axis (or axes) normalized over; counts the batch axis as 0, negative values count from the end (default -1). */
  axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
}).strict();
/** Arguments of `Softmax` as written in a model definition. */
export type SoftmaxConfig = z.input<typeof softmaxSchema>;

/**
 * Keras `Softmax`: exp(x) / Σ exp(x) over `axis` — the `softmax` activation for one axis, SoftmaxOverAxes for
 * several. Keras' optional call-time mask is not supported.
 */
export class Softmax extends ActivationFunctionLayer {
  readonly className = 'Softmax';
  readonly axis: number | number[];
  protected readonly fn: ActivationFunction;

  constructor(config: Omit<SoftmaxConfig, 'type'> = {}) {
    const parsed = parseConfig(softmaxSchema, { ...config, type: 'Softmax' });
    super(parsed);
    this.axis = parsed.axis ?? -1;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    this.fn = axes.length === 1 ? getActivation({ type: 'softmax', axis: axes[0]! }) : new SoftmaxOverAxes(axes);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rank = inputShape.length + 1;
    for (const a of Array.isArray(this.axis) ? this.axis : [this.axis]) {
      if (normalizeAxis(a, rank) === undefined) {
        throw inputShapeError(this, `axis ${a} is out of range for an input of rank ${rank} (batch axis included)`, inputShape);
      }
    }
    return [...inputShape];
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
