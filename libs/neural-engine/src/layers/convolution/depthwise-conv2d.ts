import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import { constraintSchema, getConstraint } from '../../constraints/index.js';
import { getInitializer, initializerSchema } from '../../initializers/index.js';
import { type WindowGeometry, windowGeometry } from '../../kernels/window-geometry.js';
import { getRegularizer, regularizerSchema } from '../../regularizers/index.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { inputShapeError } from '../layer-errors.js';
import type { Variable } from '../variable.js';
import { convOutputArgs, copyDefined, dataFormatSchema, paddingSchema, refineStridesWithDilation, toTuple, tupleArg } from './conv-args.js';
import { ConvLayerBase } from './conv-layer-base.js';
import { depthwiseBackward, depthwiseForward } from './depthwise.js';
import type { GroupedConvCache } from './grouped-conv.js';

/** Depthwise kernel arguments shared by DepthwiseConv2D and SeparableConv2D. */
export const depthwiseArgs = {
  /** Window [height, width] (or one integer for both). */
  kernelSize: tupleArg(2),
  /** Steps between windows (default 1). */
  strides: tupleArg(2).optional(),
  /** "valid" (default) or "same". */
  padding: paddingSchema.optional(),
  /** Filters per input channel (default 1). */
  depthMultiplier: positiveInt.optional(),
  dataFormat: dataFormatSchema,
  /** Spacing between kernel taps (default 1). */
  dilationRate: tupleArg(2).optional(),
  depthwiseInitializer: initializerSchema.optional(),
  depthwiseRegularizer: regularizerSchema.nullable().optional(),
  depthwiseConstraint: constraintSchema.nullable().optional(),
};

/** Config of DepthwiseConv2D (Keras 3 arguments, camelCase). */
export const depthwiseConv2dSchema = baseLayerSchema.extend({
  type: z.literal('DepthwiseConv2D'),
  ...depthwiseArgs,
  ...convOutputArgs,
}).strict().superRefine(refineStridesWithDilation);
/** DepthwiseConv2D config as written by users. */
export type DepthwiseConv2DConfig = z.input<typeof depthwiseConv2dSchema>;

/** Parsed depthwise arguments. */
export type DepthwiseArgs = { [K in keyof typeof depthwiseArgs]?: z.output<(typeof depthwiseArgs)[K]> };

/** Geometry and validation of the depthwise step, shared by DepthwiseConv2D and SeparableConv2D. */
export class DepthwiseStep {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly padding: 'valid' | 'same';
  readonly depthMultiplier: number;

  constructor(readonly args: DepthwiseArgs) {
    this.kernelSize = toTuple(args.kernelSize ?? 1, 2);
    this.strides = toTuple(args.strides ?? 1, 2);
    this.dilationRate = toTuple(args.dilationRate ?? 1, 2);
    this.padding = args.padding ?? 'valid';
    this.depthMultiplier = args.depthMultiplier ?? 1;
  }

  geometry(batch: number, inputShape: Shape): WindowGeometry {
    return windowGeometry([batch, inputShape[0]!, inputShape[1]!, inputShape[2]!], this.kernelSize, this.strides, this.dilationRate, this.padding);
  }

  /** [outH, outW] of a per-sample input, or throws a ConfigError naming the layer. */
  outputSize(layer: { name: string; className: string }, inputShape: Shape): [number, number] {
    if (inputShape.length !== 3) throw inputShapeError(layer, 'expected a per-sample input of rank 3 (height, width, channels)', inputShape);
    const g = this.geometry(1, inputShape);
    if (g.outH <= 0 || g.outW <= 0) throw inputShapeError(layer, `the input is smaller than the dilated kernel ${JSON.stringify(this.kernelSize)}`, inputShape);
    return [g.outH, g.outW];
  }

  /** The depthwise_kernel weight options. */
  kernelOptions() {
    const a = this.args;
    return {
      initializer: getInitializer(a.depthwiseInitializer ?? 'glorot_uniform'),
      regularizer: a.depthwiseRegularizer ? getRegularizer(a.depthwiseRegularizer) : null,
      constraint: a.depthwiseConstraint ? getConstraint(a.depthwiseConstraint) : null,
    };
  }

  /** Config entries of the depthwise arguments, defaults filled in. */
  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dilationRate: [...this.dilationRate],
      depthwiseInitializer: this.args.depthwiseInitializer ?? 'glorot_uniform',
    };
    copyDefined(config, this.args, ['depthwiseRegularizer', 'depthwiseConstraint']);
    return config;
  }
}

/** Depthwise 2-D convolution: kernel depthwise_kernel [kh, kw, in, depthMultiplier], bias [in·depthMultiplier]. */
export class DepthwiseConv2D extends ConvLayerBase {
  readonly className = 'DepthwiseConv2D';
  readonly step: DepthwiseStep;
  private kernel!: Variable;
  private geometry: WindowGeometry | null = null;
  private cache: GroupedConvCache | null = null;

  constructor(config: Omit<DepthwiseConv2DConfig, 'type'>) {
    const parsed = parseConfig(depthwiseConv2dSchema, { ...config, type: 'DepthwiseConv2D' });
    super(parsed);
    this.step = new DepthwiseStep(parsed);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [outH, outW] = this.step.outputSize(this, inputShape);
    return this.activated([outH, outW, inputShape[2]! * this.step.depthMultiplier]);
  }

  protected override buildWeights(inputShape: Shape): void {
    const s = this.step;
    this.kernel = this.addWeight('depthwise_kernel', [...s.kernelSize, inputShape[2]!, s.depthMultiplier], s.kernelOptions());
    this.addBias(inputShape[2]! * s.depthMultiplier);
  }

  protected convolve(x: Tensor, training: boolean): Tensor {
    const g = this.step.geometry(x.shape[0]!, x.shape.slice(1));
    const { y, cache } = depthwiseForward(this.backend, x, this.kernel.value, g, training);
    this.geometry = training ? g : null;
    this.cache = cache;
    return this.backend.reshape(y, [g.batch, g.outH, g.outW, g.channels * this.step.depthMultiplier]);
  }

  protected convolveBackward(dConv: Tensor): Tensor {
    const g = this.geometry;
    if (!g || !this.cache) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dy = this.backend.reshape(dConv, [g.batch * g.outH * g.outW, g.channels * this.step.depthMultiplier]);
    return depthwiseBackward(this.backend, dy, this.kernel.value, this.kernel.grad, this.cache, g);
  }

  getConfig(): LayerConfig {
    return this.outputConfig(this.step.config());
  }
}
