import { z } from 'zod';
import { constraintSchema, getConstraint } from '../constraints/index.js';
import { parseConfig, positiveInt } from '../config.js';
import { getInitializer, initializerSchema } from '../initializers/index.js';
import { getRegularizer, regularizerSchema } from '../regularizers/index.js';
import type { Shape, Tensor } from '../tensor.js';
import { broadcastIndex } from './broadcast.js';
import { inputShapeError } from './layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';
import type { Variable } from './variable.js';

/** Strict config schema of the Keras `PReLU` layer (unknown properties are rejected). */
export const preluSchema = baseLayerSchema.extend({
  type: z.literal('PReLU'),
  alphaInitializer: initializerSchema.optional(),
  alphaRegularizer: regularizerSchema.nullable().optional(),
  alphaConstraint: constraintSchema.nullable().optional(),
  /** Axes along which alpha is shared; as in Keras they count the batch axis as 0, so the first sample axis is 1. */
  sharedAxes: z.union([positiveInt, z.array(positiveInt)]).nullable().optional(),
}).strict();
/** Arguments of `PReLU` as written in a model definition. */
export type PReLUConfig = z.input<typeof preluSchema>;

/** Keras `PReLU`: f(x) = x for x >= 0, alpha·x otherwise, with a learned alpha per input element (or per shared group). */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  private readonly config: z.output<typeof preluSchema>;
  /** Shared axes as a list (Keras also accepts a single integer). */
  readonly sharedAxes: number[];
  private alpha!: Variable;
  /** For each element of one sample, the index of its alpha. */
  private alphaIndex!: Int32Array;
  private lastInput: Tensor | null = null;

  constructor(config: Omit<PReLUConfig, 'type'> = {}) {
    const parsed = parseConfig(preluSchema, { ...config, type: 'PReLU' });
    super(parsed);
    this.config = parsed;
    const shared = parsed.sharedAxes;
    this.sharedAxes = shared == null ? [] : Array.isArray(shared) ? [...shared] : [shared];
  }

  /** Shape of alpha for a per-sample input shape: the input's with every shared axis set to 1. */
  alphaShape(inputShape: Shape): Shape {
    const shape = [...inputShape];
    for (const axis of this.sharedAxes) shape[axis - 1] = 1;
    return shape;
  }

  computeOutputShape(inputShape: Shape): Shape {
    for (const axis of this.sharedAxes) {
      if (axis > inputShape.length) {
        throw inputShapeError(this, `sharedAxes entry ${axis} is out of range (sample axes are 1..${inputShape.length})`, inputShape);
      }
    }
    return [...inputShape];
  }

  protected override buildWeights(inputShape: Shape): void {
    const c = this.config;
    const shape = this.alphaShape(inputShape);
    this.alpha = this.addWeight('alpha', shape, {
      initializer: getInitializer(c.alphaInitializer ?? 'zeros'),
      regularizer: c.alphaRegularizer ? getRegularizer(c.alphaRegularizer) : null,
      constraint: c.alphaConstraint ? getConstraint(c.alphaConstraint) : null,
    });
    this.alphaIndex = broadcastIndex(inputShape, shape);
  }

  forward(x: Tensor, training: boolean): Tensor {
    const alpha = this.alpha.value.data;
    const index = this.alphaIndex;
    const n = index.length;
    if (training) this.lastInput = x;
    return this.backend.map(x, (v, i) => (v >= 0 ? v : alpha[index[i % n]!]! * v));
  }

  backward(dy: Tensor): Tensor {
    const x = this.lastInput;
    if (!x) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const alpha = this.alpha.value.data;
    const alphaGrad = this.alpha.grad.data;
    const index = this.alphaIndex;
    const n = index.length;
    const xd = x.data;
    const gd = dy.data;
    // dL/dalpha sums dy·x over the negative inputs that share each alpha (across the batch and the shared axes).
    for (let i = 0; i < xd.length; i++) if (xd[i]! < 0) alphaGrad[index[i % n]!]! += gd[i]! * xd[i]!;
    return this.backend.map2(x, dy, (v, g, i) => (v >= 0 ? g : alpha[index[i % n]!]! * g));
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config: LayerConfig = {
      ...this.baseConfig(),
      alphaInitializer: c.alphaInitializer ?? 'zeros',
      sharedAxes: this.sharedAxes.length > 0 ? [...this.sharedAxes] : null,
    };
    if (c.alphaRegularizer) config.alphaRegularizer = c.alphaRegularizer;
    if (c.alphaConstraint) config.alphaConstraint = c.alphaConstraint;
    return config;
  }
}
