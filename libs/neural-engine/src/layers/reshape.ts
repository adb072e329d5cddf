import { z } from 'zod';
import { parseConfig } from '../config.js';
import { type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';
import { inputShapeError } from './layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `Reshape` layer (unknown properties are rejected). */
export const reshapeSchema = baseLayerSchema.extend({
  type: z.literal('Reshape'),
  /** Per-sample target shape (no batch axis); one entry may be -1, inferred from the input size. */
  targetShape: z
    .array(z.number().int().refine((d) => d > 0 || d === -1, { error: 'dimensions must be positive or -1' }))
    .refine((dims) => dims.filter((d) => d === -1).length <= 1, { error: 'at most one dimension may be -1' }),
}).strict();
/** Arguments of `Reshape` as written in a model definition. */
export type ReshapeConfig = z.input<typeof reshapeSchema>;

/** Keras `Reshape`: (batch, ...dims) → (batch, ...targetShape), same values in row-major order. */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];
  private inputShapeOfLastForward: Shape | null = null;

  constructor(config: Omit<ReshapeConfig, 'type'>) {
    const parsed = parseConfig(reshapeSchema, { ...config, type: 'Reshape' });
    super(parsed);
    this.targetShape = [...parsed.targetShape];
  }

  computeOutputShape(inputShape: Shape): Shape {
    const size = shapeSize(inputShape);
    const known = shapeSize(this.targetShape.filter((d) => d !== -1));
    const unknown = this.targetShape.indexOf(-1);
    const target = formatShape(this.targetShape, false);
    if (unknown < 0) {
      if (known !== size) throw inputShapeError(this, `cannot reshape ${size} values per sample to targetShape ${target} (${known} values)`, inputShape);
      return [...this.targetShape];
    }
    if (size % known !== 0 || size === 0) {
      throw inputShapeError(this, `cannot reshape ${size} values per sample to targetShape ${target}: ${size} is not a positive multiple of ${known}`, inputShape);
    }
    const out = [...this.targetShape];
    out[unknown] = size / known;
    return out;
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (training) this.inputShapeOfLastForward = x.shape;
    return this.backend.reshape(x, [x.shape[0] ?? 1, ...this.outputShape]);
  }

  backward(dy: Tensor): Tensor {
    const shape = this.inputShapeOfLastForward;
    if (!shape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    return this.backend.reshape(dy, shape);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), targetShape: [...this.targetShape] };
  }
}
