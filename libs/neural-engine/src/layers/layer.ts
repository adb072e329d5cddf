import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraint.js';
import type { Initializer } from '../initializers/initializer.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import type { Rng } from '../rng.js';
import { ConfigError } from '../errors.js';
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
 *
 * Functional graphs use the multi-tensor forms (`buildMany`, `computeOutputShapes`, `callMany`, `callBackwardMany`):
 * by default they wrap the one-input, one-output forms; merge layers (several inputs) and recurrent layers with
 * `returnState` (several outputs) override them.
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
  /** Whether the layer passes its input mask on unchanged (Keras supports_masking). */
  supportsMasking = false;
  /** Timestep mask of the current input ([batch, steps], 1 keeps a step, 0 skips it), set by the model before a call. */
  inputMask: Tensor | null = null;

  private inShapes: Shape[] | undefined;
  private outShapes: Shape[] | undefined;
  private lastOutput: Tensor | null = null;

  constructor(config: BaseLayerConfig) {
    this.name = config.name ?? '';
    this.trainable = config.trainable ?? true;
    this.declaredInputShape = config.inputShape;
  }

  get built(): boolean {
    return this.outShapes !== undefined;
  }

  /** Per-sample input shape (after build) of a one-input layer. */
  get inputShape(): Shape {
    const shapes = this.inputShapes;
    if (shapes.length !== 1) throw new Error(`layer ${this.name} takes ${shapes.length} inputs; use inputShapes`);
    return shapes[0]!;
  }

  /** Per-sample output shape (after build); the first output of a layer that has several. */
  get outputShape(): Shape {
    return this.outputShapes[0]!;
  }

  /** Per-sample shapes of every input (after build). */
  get inputShapes(): Shape[] {
    if (!this.inShapes) throw new Error(`layer ${this.name} is not built`);
    return this.inShapes;
  }

  /** Per-sample shapes of every output (after build). */
  get outputShapes(): Shape[] {
    if (!this.outShapes) throw new Error(`layer ${this.name} is not built`);
    return this.outShapes;
  }

  /** Layers this one wraps (Bidirectional's forward and backward layers), whose own state the model also saves. */
  get innerLayers(): readonly Layer[] {
    return [];
  }

  /** Where the layer draws random numbers: its own seeded generator, or the model's. */
  protected get random(): Rng {
    return this.seededRng ?? this.rng;
  }

  /** Validates the input shape and creates the weights. */
  build(inputShape: Shape, context: LayerContext): void {
    this.buildMany([inputShape], context);
  }

  /** Validates the input shapes (one per input tensor) and creates the weights. */
  buildMany(inputShapes: readonly Shape[], context: LayerContext): void {
    this.backend = context.backend;
    this.rng = context.rng;
    this.outShapes = this.computeOutputShapes(inputShapes).map((s) => [...s]);
    this.inShapes = inputShapes.map((s) => [...s]);
    this.variables.length = 0;
    this.buildWeights(inputShapes[0]!);
  }

  /** Creates weights with addWeight; the default creates none. Multi-input layers receive their first input shape. */
  protected buildWeights(_inputShape: Shape): void {}

  /** The per-sample output shape for a per-sample input shape; throws a ConfigError naming the layer on mismatch. */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** Output shapes (one per output tensor) for input shapes; by default one input gives one output. */
  computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    if (inputShapes.length !== 1) {
      throw new ConfigError(`layer "${this.name}" (${this.className}) takes 1 input, received ${inputShapes.length}`, [
        { path: this.name, message: `takes 1 input`, received: inputShapes.length },
      ]);
    }
    return [this.computeOutputShape(inputShapes[0]!)];
  }

  /** Mask of the output of the last call: the input mask when the layer supports masking, otherwise none. */
  computeOutputMask(): Tensor | null {
    return this.supportsMasking ? this.inputMask : null;
  }

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

  /**
   * Backward plus the activity regularizer's gradient; what models call. With `fromLogits`, dy is dL/d(logits) of the
   * layer's softmax (see takesLogitsGradient).
   */
  callBackward(dy: Tensor, fromLogits = false): Tensor {
    return fromLogits ? this.backwardFromLogits(dy, true)! : this.backward(this.withActivityGradient(dy));
  }

  /**
   * Backward for a layer whose dL/dx nobody needs (the first layer that learns in a Sequential): accumulates the
   * weight gradients only. For W1's first Dense that skips a third of the step's products.
   */
  callBackwardWeightsOnly(dy: Tensor, fromLogits = false): void {
    if (fromLogits) this.backwardFromLogits(dy, false);
    else this.backwardWeights(this.withActivityGradient(dy));
  }

  /**
   * Whether the layer ends in a softmax over the last axis and its backward pass can start from dL/d(logits), the
   * softmax's input, instead of dL/dy: a categorical crossentropy loss on its output then hands it that gradient
   * directly (kernels/softmax-crossentropy.ts), which is one pass instead of three.
   */
  takesLogitsGradient(): boolean {
    return false;
  }

  /** Backward from dL/d(logits) for a layer that takesLogitsGradient(): adds dL/dw; returns dL/dx when `needInput`. */
  protected backwardFromLogits(_dLogits: Tensor, _needInput: boolean): Tensor | null {
    throw new Error(`layer ${this.name} (${this.className}) does not end in a last-axis softmax: its backward pass needs dL/dy`);
  }

  /** Accumulates the weight gradients for dL/dy; layers whose dL/dx is costly override it to skip that. */
  protected backwardWeights(dy: Tensor): void {
    this.backward(dy);
  }

  /** Whether training changes this layer: it (or a layer it wraps) has trainable variables. */
  get learns(): boolean {
    return this.trainableVariables.length > 0 || this.innerLayers.some((l) => l.learns);
  }

  /** dL/dy plus the activity regularizer's gradient, when the layer has one. */
  private withActivityGradient(dy: Tensor): Tensor {
    if (!this.activityRegularizer || !this.lastOutput) return dy;
    const total = this.backend.clone(dy);
    this.activityRegularizer.accumulateGradient(this.lastOutput, total, this.backend);
    return total;
  }

  /** Multi-tensor call (functional graphs): one tensor per input in, one per output out. */
  callMany(inputs: readonly Tensor[], training: boolean): Tensor[] {
    if (inputs.length !== 1) throw new Error(`layer ${this.name} (${this.className}) takes 1 input, received ${inputs.length}`);
    return [this.call(inputs[0]!, training)];
  }

  /**
   * Multi-tensor backward: one gradient per output (zeros for an output the graph does not use) in, one per input out.
   */
  callBackwardMany(dys: readonly Tensor[], fromLogits = false): Tensor[] {
    if (dys.length !== 1) throw new Error(`layer ${this.name} (${this.className}) has 1 output, received ${dys.length} gradients`);
    return [this.callBackward(dys[0]!, fromLogits)];
  }

  /** Creates a weight named `<layer>/<name>` from its initializer. */
  protected addWeight(name: string, shape: Shape, options: WeightOptions): Variable {
    const values = options.initializer.init(shape, this.rng);
    // Lasting: a layer built lazily, inside a training step, keeps its weights past it.
    const variable = this.backend.lasting(
      () =>
        new Variable(
          `${this.name}/${name}`,
          this.backend.fromValues(shape, values),
          this.backend,
          options.trainable ?? true,
          options.regularizer ?? null,
          options.constraint ?? null,
        ),
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
