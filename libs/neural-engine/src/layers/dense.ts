import { z } from 'zod';
import { type Activation, type ActivationConfig } from '../activations/activation.js';
import { activationSchema, getActivation } from '../activations/index.js';
import { isLastAxisSoftmax } from '../activations/softmax.js';
import { constraintSchema, getConstraint } from '../constraints/index.js';
import { parseConfig, positiveInt } from '../config.js';
import { ConfigError } from '../errors.js';
import { getInitializer, initializerSchema } from '../initializers/index.js';
import { getRegularizer, regularizerSchema } from '../regularizers/index.js';
import { type Shape, type Tensor, asMatrix, formatShape } from '../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from './layer.js';
import type { Variable } from './variable.js';

/** Config of Dense (Keras 3 arguments, camelCase). */
export const denseSchema = baseLayerSchema.extend({
  type: z.literal('Dense'),
  /** Output features. */
  units: positiveInt,
  /** Applied to x·kernel + bias; linear when absent. */
  activation: activationSchema.nullable().optional(),
  /** Whether to add a bias vector (default true). */
  useBias: z.boolean().optional(),
  kernelInitializer: initializerSchema.optional(),
  biasInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.nullable().optional(),
  biasRegularizer: regularizerSchema.nullable().optional(),
  activityRegularizer: regularizerSchema.nullable().optional(),
  kernelConstraint: constraintSchema.nullable().optional(),
  biasConstraint: constraintSchema.nullable().optional(),
}).strict();
/** Dense config as written by users (defaults not yet applied). */
export type DenseConfig = z.input<typeof denseSchema>;

/** Fully connected layer: y = activation(x·kernel + bias), applied over the last axis of x. */
export class Dense extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  readonly className = 'Dense';
  private readonly config: z.output<typeof denseSchema>;
  readonly activation: Activation;
  private kernel!: Variable;
  private bias: Variable | null = null;
  private lastInput: Tensor | null = null;
  private lastPre: Tensor | null = null;
  private lastOut: Tensor | null = null;

  constructor(config: Omit<DenseConfig, 'type'>) {
    const parsed = parseConfig(denseSchema, { ...config, type: 'Dense' });
    super(parsed);
    this.config = parsed;
    this.activation = getActivation(parsed.activation ?? 'linear');
    this.activityRegularizer = parsed.activityRegularizer ? getRegularizer(parsed.activityRegularizer) : null;
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 1) {
      throw new ConfigError(`layer ${this.name} (Dense) needs an input of rank >= 1, received shape ${formatShape(inputShape)}`);
    }
    const out = [...inputShape.slice(0, -1), this.config.units];
    return this.activation.computeOutputShape ? this.activation.computeOutputShape(out) : out;
  }

  protected override buildWeights(inputShape: Shape): void {
    const inFeatures = inputShape[inputShape.length - 1]!;
    const c = this.config;
    this.kernel = this.addWeight('kernel', [inFeatures, c.units], {
      initializer: getInitializer(c.kernelInitializer ?? 'glorot_uniform'),
      regularizer: c.kernelRegularizer ? getRegularizer(c.kernelRegularizer) : null,
      constraint: c.kernelConstraint ? getConstraint(c.kernelConstraint) : null,
    });
    this.bias = c.useBias === false ? null : this.addWeight('bias', [c.units], {
      initializer: getInitializer(c.biasInitializer ?? 'zeros'),
      regularizer: c.biasRegularizer ? getRegularizer(c.biasRegularizer) : null,
      constraint: c.biasConstraint ? getConstraint(c.biasConstraint) : null,
    });
  }

  forward(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const [rows, cols] = asMatrix(x.shape);
    const units = this.config.units;
    const pre = b.matmul(b.reshape(x, [rows, cols]), this.kernel.value);
    if (this.bias) b.addRowVector(pre, this.bias.value, pre);
    const preShaped = b.reshape(pre, [...x.shape.slice(0, -1), units]);
    // In place where the gradient allows: pre is this layer's own, and kept only for the gradient.
    const y = this.activation.applyInPlace ? this.activation.applyInPlace(preShaped, b) : this.activation.apply(preShaped, b);
    if (training) {
      this.lastInput = x;
      this.lastPre = preShaped;
      this.lastOut = y;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    return this.inputGradient(this.accumulateWeightGradients(this.preActivationGradient(dy)));
  }

  protected override backwardWeights(dy: Tensor): void {
    this.accumulateWeightGradients(this.preActivationGradient(dy));
  }

  override takesLogitsGradient(): boolean {
    return !this.activityRegularizer && isLastAxisSoftmax(this.activation, this.outputShape.length + 1);
  }

  /** The logits are this layer's pre-activation: the activation's backward pass is already done. */
  protected override backwardFromLogits(dLogits: Tensor, needInput: boolean): Tensor | null {
    const parts = this.accumulateWeightGradients(dLogits);
    return needInput ? this.inputGradient(parts) : null;
  }

  private preActivationGradient(dy: Tensor): Tensor {
    if (!this.lastPre || !this.lastOut) throw new Error(`layer ${this.name}: backward called before a training forward`);
    return this.activation.gradient(this.lastPre, this.lastOut, dy, this.backend);
  }

  /** dL/dx = dL/d(pre-activation)·kernelᵀ, in the input's shape. */
  private inputGradient({ x, d2 }: { x: Tensor; d2: Tensor }): Tensor {
    return this.backend.reshape(this.backend.matmul(d2, this.kernel.value, { transposeB: true }), x.shape);
  }

  /** Adds dL/dkernel and dL/dbias for dL/d(pre-activation); returns the input and that gradient as [rows, units]. */
  private accumulateWeightGradients(dPre: Tensor): { x: Tensor; d2: Tensor } {
    const b = this.backend;
    const x = this.lastInput;
    if (!x) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const [rows, inFeatures] = asMatrix(x.shape);
    const units = this.config.units;
    const x2 = b.reshape(x, [rows, inFeatures]);
    const d2 = b.reshape(dPre, [rows, units]);
    b.matmul(x2, d2, { transposeA: true, accumulate: true }, this.kernel.grad);
    if (this.bias) b.addInPlace(this.bias.grad, b.sumRows(d2));
    return { x, d2 };
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config: LayerConfig = {
      ...this.baseConfig(),
      units: c.units,
      activation: this.activation.getConfig() as ActivationConfig,
      useBias: c.useBias ?? true,
      kernelInitializer: c.kernelInitializer ?? 'glorot_uniform',
      biasInitializer: c.biasInitializer ?? 'zeros',
    };
    for (const key of ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint'] as const) {
      if (c[key]) config[key] = c[key];
    }
    return config;
  }
}
