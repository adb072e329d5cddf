import { z } from 'zod';
import { parseConfig } from '../config.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `Flatten` layer (unknown properties are rejected). */
export const flattenSchema = baseLayerSchema.extend({
  type: z.literal('Flatten'),
  /** Only channels_last: the engine's tensors are channels-last, so channels_first would need a transpose it has not. */
  dataFormat: z
    .literal('channels_last', { error: 'only "channels_last" is supported (the engine stores tensors channels-last)' })
    .nullable()
    .optional(),
}).strict();
/** Arguments of `Flatten` as written in a model definition. */
export type FlattenConfig = z.input<typeof flattenSchema>;

/** Keras `Flatten`: (batch, ...dims) → (batch, Π dims); a batch-only input becomes (batch, 1). */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  private inputShapeOfLastForward: Shape | null = null;

  constructor(config: Omit<FlattenConfig, 'type'> = {}) {
    const parsed = parseConfig(flattenSchema, { ...config, type: 'Flatten' });
    super(parsed);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [shapeSize(inputShape)];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (training) this.inputShapeOfLastForward = x.shape;
    const batch = x.shape[0] ?? 1;
    return this.backend.reshape(x, [batch, batch === 0 ? 0 : x.size / batch]);
  }

  backward(dy: Tensor): Tensor {
    const shape = this.inputShapeOfLastForward;
    if (!shape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    return this.backend.reshape(dy, shape);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), dataFormat: 'channels_last' };
  }
}
