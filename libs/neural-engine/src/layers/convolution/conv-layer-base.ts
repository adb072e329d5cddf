import type { z } from 'zod';
import type { Activation, ActivationConfig } from '../../activations/activation.js';
import { getActivation } from '../../activations/index.js';
import { getConstraint } from '../../constraints/index.js';
import { getInitializer } from '../../initializers/index.js';
import { getRegularizer } from '../../regularizers/index.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type BaseLayerConfig, type LayerConfig, Layer } from '../layer.js';
import type { Variable } from '../variable.js';
import { type convOutputArgs, copyDefined } from './conv-args.js';

/** The output arguments every convolution config has (see convOutputArgs). */
export type ConvOutputConfig = BaseLayerConfig & { [K in keyof typeof convOutputArgs]?: z.output<(typeof convOutputArgs)[K]> };

/**
 * What every convolution layer shares around its linear part: y = activation(conv(x) + bias), the bias weight and the
 * activity regularizer. Subclasses provide `convolve` (pre-bias output, channels last) and its backward pass.
 */
export abstract class ConvLayerBase extends Layer {
  readonly activation: Activation;
  protected bias: Variable | null = null;
  private lastPre: Tensor | null = null;
  private lastOut: Tensor | null = null;

  constructor(private readonly outputArgs: ConvOutputConfig) {
    super(outputArgs);
    this.activation = getActivation(outputArgs.activation ?? 'linear');
    this.activityRegularizer = outputArgs.activityRegularizer ? getRegularizer(outputArgs.activityRegularizer) : null;
  }

  /** conv(x) without bias, shaped [batch, ...spatial, filters]; with `training`, keeps what convolveBackward needs. */
  protected abstract convolve(x: Tensor, training: boolean): Tensor;
  /** dL/dx from dL/d(conv output); adds the kernel gradients. */
  protected abstract convolveBackward(dConv: Tensor): Tensor;

  /** Adds the kernel gradients only, for a layer whose dL/dx nobody needs; without an override, the whole backward pass. */
  protected convolveBackwardWeights(dConv: Tensor): void {
    this.convolveBackward(dConv);
  }

  /** Applies the activation's shape change (only glu has one) to the convolution's output shape. */
  protected activated(shape: Shape): Shape {
    return this.activation.computeOutputShape ? this.activation.computeOutputShape(shape) : shape;
  }

  /** Creates the `bias` weight of `filters` values when useBias (Keras order: after the kernels). */
  protected addBias(filters: number): void {
    const c = this.outputArgs;
    this.bias = c.useBias === false ? null : this.addWeight('bias', [filters], {
      initializer: getInitializer(c.biasInitializer ?? 'zeros'),
      regularizer: c.biasRegularizer ? getRegularizer(c.biasRegularizer) : null,
      constraint: c.biasConstraint ? getConstraint(c.biasConstraint) : null,
    });
  }

  forward(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const pre = this.convolve(x, training);
    if (this.bias) b.addRowVector(pre, this.bias.value, pre);
    // In place where the gradient allows: pre is this layer's own, and kept only for the gradient.
    const y = this.activation.applyInPlace ? this.activation.applyInPlace(pre, b) : this.activation.apply(pre, b);
    this.lastPre = training ? pre : null;
    this.lastOut = training ? y : null;
    return y;
  }

  backward(dy: Tensor): Tensor {
    return this.convolveBackward(this.preActivationGradient(dy));
  }

  /** The first layer that learns (see Layer.callBackwardWeightsOnly): no dL/dx, so no input-gradient product or col2im. */
  protected override backwardWeights(dy: Tensor): void {
    this.convolveBackwardWeights(this.preActivationGradient(dy));
  }

  /** dL/d(conv output) from dL/dy through the activation; adds the bias gradient. */
  private preActivationGradient(dy: Tensor): Tensor {
    const b = this.backend;
    if (!this.lastPre || !this.lastOut) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dPre = this.activation.gradient(this.lastPre, this.lastOut, dy, b);
    if (this.bias) b.addInPlace(this.bias.grad, b.sumRows(dPre));
    return dPre;
  }

  /** Base config plus the output arguments, defaults filled in as Keras's get_config does. */
  protected outputConfig(layerArgs: Record<string, unknown>): LayerConfig {
    const c = this.outputArgs;
    const config: LayerConfig = {
      ...this.baseConfig(),
      ...layerArgs,
      dataFormat: 'channels_last',
      activation: this.activation.getConfig() as ActivationConfig,
      useBias: c.useBias ?? true,
      biasInitializer: c.biasInitializer ?? 'zeros',
    };
    copyDefined(config, c, ['biasRegularizer', 'activityRegularizer', 'biasConstraint']);
    return config;
  }
}
