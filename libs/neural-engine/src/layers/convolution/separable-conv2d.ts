import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import { constraintSchema, getConstraint } from '../../constraints/index.js';
import { getInitializer, initializerSchema } from '../../initializers/index.js';
import type { WindowGeometry } from '../../kernels/window-geometry.js';
import { getRegularizer, regularizerSchema } from '../../regularizers/index.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import type { Variable } from '../variable.js';
import { convOutputArgs, copyDefined, refineStridesWithDilation } from './conv-args.js';
import { ConvLayerBase } from './conv-layer-base.js';
import { depthwiseBackward, depthwiseForward } from './depthwise.js';
import { DepthwiseStep, depthwiseArgs } from './depthwise-conv2d.js';
import type { GroupedConvCache } from './grouped-conv.js';

/** Config of SeparableConv2D (Keras 3 arguments, camelCase). */
export const separableConv2dSchema = baseLayerSchema.extend({
  type: z.literal('SeparableConv2D'),
  /** Number of output channels of the pointwise step. */
  filters: positiveInt,
  ...depthwiseArgs,
  pointwiseInitializer: initializerSchema.optional(),
  pointwiseRegularizer: regularizerSchema.nullable().optional(),
  pointwiseConstraint: constraintSchema.nullable().optional(),
  ...convOutputArgs,
}).strict().superRefine(refineStridesWithDilation);
/** SeparableConv2D config as written by users. */
export type SeparableConv2DConfig = z.input<typeof separableConv2dSchema>;

/**
 * Depthwise-separable 2-D convolution: a depthwise convolution (depthwise_kernel [kh, kw, in, dm]; strides, padding
 * and dilation apply here) followed by a 1×1 convolution (pointwise_kernel [1, 1, in·dm, filters]), then bias
 * [filters] and the activation. Weights in Keras's order: depthwise_kernel, pointwise_kernel, bias.
 */
export class SeparableConv2D extends ConvLayerBase {
  readonly className = 'SeparableConv2D';
  private readonly config: z.output<typeof separableConv2dSchema>;
  readonly step: DepthwiseStep;
  private depthwise!: Variable;
  private pointwise!: Variable;
  private geometry: WindowGeometry | null = null;
  private cache: GroupedConvCache | null = null;
  private lastDepthwise: Tensor | null = null;

  constructor(config: Omit<SeparableConv2DConfig, 'type'>) {
    const parsed = parseConfig(separableConv2dSchema, { ...config, type: 'SeparableConv2D' });
    super(parsed);
    this.config = parsed;
    this.step = new DepthwiseStep(parsed);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [outH, outW] = this.step.outputSize(this, inputShape);
    return this.activated([outH, outW, this.config.filters]);
  }

  protected override buildWeights(inputShape: Shape): void {
    const s = this.step;
    const c = this.config;
    const channels = inputShape[2]!;
    this.depthwise = this.addWeight('depthwise_kernel', [...s.kernelSize, channels, s.depthMultiplier], s.kernelOptions());
    this.pointwise = this.addWeight('pointwise_kernel', [1, 1, channels * s.depthMultiplier, c.filters], {
      initializer: getInitializer(c.pointwiseInitializer ?? 'glorot_uniform'),
      regularizer: c.pointwiseRegularizer ? getRegularizer(c.pointwiseRegularizer) : null,
      constraint: c.pointwiseConstraint ? getConstraint(c.pointwiseConstraint) : null,
    });
    this.addBias(c.filters);
  }

  private pointwiseMatrix(t: Tensor): Tensor {
    return this.backend.reshape(t, [t.shape[2]!, t.shape[3]!]);
  }

  protected convolve(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const g = this.step.geometry(x.shape[0]!, x.shape.slice(1));
    const { y: mid, cache } = depthwiseForward(b, x, this.depthwise.value, g, training);
    const y = b.matmul(mid, this.pointwiseMatrix(this.pointwise.value));
    this.geometry = training ? g : null;
    this.cache = cache;
    this.lastDepthwise = training ? mid : null;
    return b.reshape(y, [g.batch, g.outH, g.outW, this.config.filters]);
  }

  protected convolveBackward(dConv: Tensor): Tensor {
    const b = this.backend;
    const g = this.geometry;
    const mid = this.lastDepthwise;
    if (!g || !this.cache || !mid) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dy = b.reshape(dConv, [g.batch * g.outH * g.outW, this.config.filters]);
    b.addInPlace(this.pointwiseMatrix(this.pointwise.grad), b.matmul(mid, dy, { transposeA: true }));
    const dMid = b.matmul(dy, this.pointwiseMatrix(this.pointwise.value), { transposeB: true });
    return depthwiseBackward(b, dMid, this.depthwise.value, this.depthwise.grad, this.cache, g);
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config = this.outputConfig({ filters: c.filters, ...this.step.config(), pointwiseInitializer: c.pointwiseInitializer ?? 'glorot_uniform' });
    copyDefined(config, c, ['pointwiseRegularizer', 'pointwiseConstraint']);
    return config;
  }
}
