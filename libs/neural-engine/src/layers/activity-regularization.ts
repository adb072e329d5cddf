import { z } from 'zod';
import { parseConfig } from '../config.js';
import { getRegularizer } from '../regularizers/index.js';
import type { Shape, Tensor } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `ActivityRegularization` layer (unknown properties are rejected). */
export const activityRegularizationSchema = baseLayerSchema.extend({
  type: z.literal('ActivityRegularization'),
  /** L1 factor (>= 0). */
  l1: z.number().nonnegative().optional(),
  /** L2 factor (>= 0). */
  l2: z.number().nonnegative().optional(),
}).strict();
/** Arguments of `ActivityRegularization` as written in a model definition. */
export type ActivityRegularizationConfig = z.input<typeof activityRegularizationSchema>;

/**
 * Keras `ActivityRegularization`: the identity, with an L1L2 activity regularizer on its output. The penalty and its
 * gradient are added by Layer.call / Layer.callBackward, like any layer's activity regularizer.
 */
export class ActivityRegularization extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(config: Omit<ActivityRegularizationConfig, 'type'> = {}) {
    const parsed = parseConfig(activityRegularizationSchema, { ...config, type: 'ActivityRegularization' });
    super(parsed);
    this.l1 = parsed.l1 ?? 0;
    this.l2 = parsed.l2 ?? 0;
    this.activityRegularizer = getRegularizer({ type: 'L1L2', l1: this.l1, l2: this.l2 });
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  forward(x: Tensor, _training: boolean): Tensor {
    return x;
  }

  backward(dy: Tensor): Tensor {
    return dy;
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), l1: this.l1, l2: this.l2 };
  }
}
