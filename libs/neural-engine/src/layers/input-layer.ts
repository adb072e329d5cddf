import { z } from 'zod';
import { parseConfig, positiveInt, shapeSchema } from '../config.js';
import { type Shape, type Tensor, formatShape, shapesEqual } from '../tensor.js';
import { inputShapeError } from './layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

/**
 * Keras 3 `InputLayer` (what `keras.Input(shape)` creates). `type` may also be written `Input`; getConfig writes the
 * class name. It takes no `inputShape`: its `shape` is the model's per-sample input shape.
 */
export const inputLayerSchema = baseLayerSchema
  .omit({ inputShape: true })
  .extend({
    type: z.literal(['InputLayer', 'Input']),
    /** Per-sample shape (no batch axis). */
    shape: shapeSchema,
    /** Fixed batch size, if any (informational: the engine accepts any batch). */
    batchSize: positiveInt.nullable().optional(),
  })
  .strict();
/** Arguments of `InputLayer` as written in a model definition. */
export type InputLayerConfig = z.input<typeof inputLayerSchema>;

/** The model's entry point: an identity that declares the per-sample input shape. Only valid as the first layer. */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  private readonly config: z.output<typeof inputLayerSchema>;

  constructor(config: Omit<InputLayerConfig, 'type'> & { type?: 'InputLayer' | 'Input' }) {
    const parsed = parseConfig(inputLayerSchema, { ...config, type: config.type ?? 'InputLayer' });
    // The declared shape doubles as the layer's declaredInputShape, which is how models find their input shape.
    super({ ...parsed, inputShape: parsed.shape });
    this.config = parsed;
  }

  /** The declared per-sample shape. */
  get shape(): Shape {
    return this.config.shape;
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (!shapesEqual(inputShape, this.config.shape)) {
      throw inputShapeError(this, `expected input shape ${formatShape(this.config.shape)}`, inputShape);
    }
    return [...inputShape];
  }

  forward(x: Tensor, _training: boolean): Tensor {
    return x;
  }

  backward(dy: Tensor): Tensor {
    return dy;
  }

  getConfig(): LayerConfig {
    const config: LayerConfig = { type: this.className, name: this.name, shape: [...this.config.shape] };
    if (!this.trainable) config.trainable = false;
    if (this.config.batchSize != null) config.batchSize = this.config.batchSize;
    return config;
  }
}
