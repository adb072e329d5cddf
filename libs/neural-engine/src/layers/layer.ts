import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraint.js';
import type { Initializer } from '../initializers/initializer.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import type { Rng } from '../rng.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import { Variable } from './variable.js';

/** Arguments every layer accepts (Keras base Layer kwargs). */
export const baseLayerSchema = z.object({
  /** Unique name within the model; generated from the class name (`dense`, `dense_1`) when absent. */
  name: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.\-]+$/, 'letters, digits, _ . - only').optional(),
  /** Whether the layer's weights are updated by training. */
  trainable: z.boolean().optional(),
  /** Per-sample input shape, allowed on the first layer of a Sequential model (Keras `input_shape`). */
  inputShape: z.array(z.number().int().positive()).optional(),
});
export type BaseLayerConfig = z.infer<typeof baseLayerSchema>;

/** A serialized layer: its Keras class name as `type`, plus its arguments. */
export interface LayerConfig {
  type: string;
  name?: string | undefined;
  [arg: string]: unknown;
}

/** What a layer is given when built: the backend that owns tensors and math, and the model's seeded RNG. */
export interface LayerContext {
  backend: Backend;
  rng: Rng;
}

/** Options of Layer.addWeight. */
export interface WeightOptions {
  initializer: Initializer;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  trainable?: boolean;
}

/**
 * The lifecycle every layer shares (Keras): the constructor validates the config, `build(inputShape)` creates the
 * weights, `forward` computes the output and keeps what `backward` needs, `backward(dy)` returns dL/dx and
 * accumulates dL/dw into each variable's `grad`. Shapes given to layers are per-sample (no batch axis); tensors carry
 * the batch as their first axis.
 */
export abstract class Layer {
  /** Keras class name, e.g. `Dense`. */
  abstract readonly className: string;
  name: string;
  trainable: boolean;
  /** Per-sample input shape declared in the config, if any. */
  readonly declaredInputShape: Shape | undefined;
  readonly variables: Variable[] = [];
  /** Regularizes the layer's output; its penalty is added to the loss (Keras activity_regularizer). */
  activityRegularizer: Regularizer | null = null;
  /** Activity-regularization penalty of the last forward pass. */
  activityPenalty = 0;

  /**
   * The layer's own generator when its config has a `seed` (Keras layers with a seed draw from it, not the model's);
   * its state is saved with the training state so a resumed run draws the same masks.
   */
  seededRng: Rng | null = null;

  protected backend!: Backend;
  protected rng!: Rng;
  private inShape: Shape | undefined;
  private outShape: Shape | undefined;
  private lastOutput: Tensor | null = null;

  constructor(config: BaseLayerConfig) {
    this.name = config.name ?? '';
    this.trainable = config.trainable ?? true;
    this.declaredInputShape = config.inputShape;
  }

  get built(): boolean {
    return this.outShape !== undefined;
  }

  /** Per-sample input shape (after build). */
  get inputShape(): Shape {
    if (!this.inShape) throw new Error(`layer ${this.name} is not built`);
    return this.inShape;
  }

  /** Per-sample output shape (after build). */
  get outputShape(): Shape {
    if (!this.outShape) throw new Error(`layer ${this.name} is not built`);
    return this.outShape;
  }

  /** Where the layer draws random numbers: its own seeded generator, or the model's. */
  protected get random(): Rng {
    return this.seededRng ?? this.rng;
  }

  /** Validates the input shape and creates the weights. */
  build(inputShape: Shape, context: LayerContext): void {
    this.backend = context.backend;
    this.rng = context.rng;
    this.outShape = this.computeOutputShape(inputShape);
    this.inShape = [...inputShape];
    this.variables.length = 0;
    this.buildWeights(inputShape);
  }

  /** Creates weights with addWeight; the default creates none. */
  protected buildWeights(_inputShape: Shape): void {}

  /** The per-sample output shape for a per-sample input shape; throws a ConfigError naming the layer on mismatch. */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** y = layer(x). With `training`, keeps what backward needs and applies training-only behaviour (dropout, noise). */
  abstract forward(x: Tensor, training: boolean): Tensor;

  /** dL/dx for dL/dy of the last training forward; adds dL/dw into the variables' grads. */
  abstract backward(dy: Tensor): Tensor;

  /** Arguments that recreate this layer (Keras get_config), with `type` and `name`. */
  abstract getConfig(): LayerConfig;

  /** Forward plus the activity regularizer's penalty; what models call. */
  call(x: Tensor, training: boolean): Tensor {
    const y = this.forward(x, training);
    if (this.activityRegularizer) {
      // Keras adds the penalty in inference too, so evaluate reports the same loss terms as fit.
      this.activityPenalty = this.activityRegularizer.penalty(y, this.backend);
      this.lastOutput = training ? y : null;
    }
    return y;
  }

  /** Backward plus the activity regularizer's gradient; what models call. */
  callBackward(dy: Tensor): Tensor {
    if (this.activityRegularizer && this.lastOutput) {
      const total = this.backend.clone(dy);
      this.activityRegularizer.accumulateGradient(this.lastOutput, total, this.backend);
      return this.backward(total);
    }
    return this.backward(dy);
  }

  /** Creates a weight named `<layer>/<name>` from its initializer. */
  protected addWeight(name: string, shape: Shape, options: WeightOptions): Variable {
    const values = options.initializer.init(shape, this.rng);
    const variable = new Variable(
      `${this.name}/${name}`,
      this.backend.fromValues(shape, values),
      this.backend,
      options.trainable ?? true,
      options.regularizer ?? null,
      options.constraint ?? null,
    );
    this.variables.push(variable);
    return variable;
  }

  /** Variables updated by training (none when the layer is frozen). */
  get trainableVariables(): Variable[] {
    return this.trainable ? this.variables.filter((v) => v.trainable) : [];
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.variables.reduce((n, v) => n + shapeSize(v.value.shape), 0);
  }

  /** Renames the layer and its variables. */
  rename(name: string): void {
    for (const v of this.variables) v.name = `${name}/${v.name.slice(this.name.length + 1)}`;
    this.name = name;
  }

  /** Base config fields shared by every layer's getConfig. */
  protected baseConfig(): LayerConfig {
    const config: LayerConfig = { type: this.className };
    if (this.name) config.name = this.name;
    if (!this.trainable) config.trainable = false;
    if (this.declaredInputShape) config.inputShape = [...this.declaredInputShape];
    return config;
  }
}
