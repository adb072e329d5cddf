import { z } from 'zod';
import { nonNegativeInt, parseConfig, positiveInt } from '../../config.js';
import { getConstraint } from '../../constraints/index.js';
import { getInitializer } from '../../initializers/index.js';
import { type WindowGeometry, windowAxis } from '../../kernels/window-geometry.js';
import { getRegularizer } from '../../regularizers/index.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { inputShapeError } from '../layer-errors.js';
import type { Variable } from '../variable.js';
import { convOutputArgs, copyDefined, dataFormatSchema, kernelArgs, paddingSchema, refineStridesWithDilation, toTuple, tupleArg } from './conv-args.js';
import { ConvLayerBase } from './conv-layer-base.js';

/** Config of Conv2DTranspose (Keras 3 arguments, camelCase). */
export const conv2dTransposeSchema = baseLayerSchema.extend({
  type: z.literal('Conv2DTranspose'),
  /** Number of output channels. */
  filters: positiveInt,
  /** Window [height, width] (or one integer for both). */
  kernelSize: tupleArg(2),
  /** Upsampling factors (default 1). */
  strides: tupleArg(2).optional(),
  /** "valid" (default) or "same". */
  padding: paddingSchema.optional(),
  /** Extra rows/columns added after the output (each < its stride); null lets Keras's formula choose. */
  outputPadding: z.union([nonNegativeInt, z.array(nonNegativeInt).length(2)]).nullable().optional(),
  dataFormat: dataFormatSchema,
  /** Spacing between kernel taps (default 1). */
  dilationRate: tupleArg(2).optional(),
  ...convOutputArgs,
  ...kernelArgs,
}).strict().superRefine(refineStridesWithDilation).superRefine((value, ctx) => {
  if (value.outputPadding == null) return;
  const padding = toTuple(value.outputPadding, 2);
  const strides = toTuple(value.strides ?? 1, 2);
  if (padding.some((p, i) => p >= strides[i]!)) {
    ctx.addIssue({ code: 'custom', path: ['outputPadding'], input: value.outputPadding, message: `outputPadding must be < strides (${JSON.stringify(value.strides ?? 1)})` });
  }
});
/** Conv2DTranspose config as written by users. */
export type Conv2DTransposeConfig = z.input<typeof conv2dTransposeSchema>;

/** Keras 3's output length of a transposed convolution along one axis (backend_utils, TF padding convention). */
export function convTransposeLength(
  size: number, kernel: number, stride: number, padding: 'valid' | 'same', outputPadding: number | null, dilation: number,
): number {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return (size - 1) * stride + span + (outputPadding ?? Math.max(span, stride) - span);
  return outputPadding === null ? size * stride : (size - 1) * stride + (span % 2) + outputPadding;
}

/**
 * Transposed convolution ("deconvolution"): the gradient of a Conv2D with respect to its input, used to upsample.
 * Kernel [kh, kw, filters, in] (Keras's layout), bias [filters]. Forward is x · kernelᵀ then col2im onto the output;
 * the backward pass is a plain convolution of dL/dy (im2col), which is what TF's conv2d_transpose also does.
 */
export class Conv2DTranspose extends ConvLayerBase {
  readonly className = 'Conv2DTranspose';
  private readonly config: z.output<typeof conv2dTransposeSchema>;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly outputPadding: [number, number] | null;
  readonly padding: 'valid' | 'same';
  private kernel!: Variable;
  private geometry: WindowGeometry | null = null;
  private lastInput: Tensor | null = null;

  constructor(config: Omit<Conv2DTransposeConfig, 'type'>) {
    const parsed = parseConfig(conv2dTransposeSchema, { ...config, type: 'Conv2DTranspose' });
    super(parsed);
    this.config = parsed;
    this.kernelSize = toTuple(parsed.kernelSize, 2);
    this.strides = toTuple(parsed.strides ?? 1, 2);
    this.dilationRate = toTuple(parsed.dilationRate ?? 1, 2);
    this.outputPadding = parsed.outputPadding == null ? null : toTuple(parsed.outputPadding, 2);
    this.padding = parsed.padding ?? 'valid';
  }

  /**
   * The geometry of the convolution this layer transposes: it maps the output [batch, outH, outW, filters] back to
   * the input's [inH, inW]. Its padding is TF's for that convolution (zero for "valid"; the "same" rule otherwise).
   */
  private geometryFor(batch: number, inputShape: Shape): WindowGeometry | string {
    const [inH, inW] = [inputShape[0]!, inputShape[1]!];
    const [kH, kW] = this.kernelSize;
    const [sH, sW] = this.strides;
    const [dH, dW] = this.dilationRate;
    const outH = convTransposeLength(inH, kH, sH, this.padding, this.outputPadding?.[0] ?? null, dH);
    const outW = convTransposeLength(inW, kW, sW, this.padding, this.outputPadding?.[1] ?? null, dW);
    const h = windowAxis(outH, kH, sH, dH, this.padding);
    const w = windowAxis(outW, kW, sW, dW, this.padding);
    if (outH <= 0 || outW <= 0 || h.out !== inH || w.out !== inW) {
      return `kernel ${JSON.stringify(this.kernelSize)}, strides ${JSON.stringify(this.strides)} and outputPadding ${JSON.stringify(this.outputPadding)} give an output (${outH}, ${outW}) that a "${this.padding}" convolution does not map back to the input`;
    }
    return {
      batch, inH: outH, inW: outW, channels: this.config.filters,
      kH, kW, strideH: sH, strideW: sW, dilationH: dH, dilationW: dW,
      padTop: h.padBefore, padLeft: w.padBefore, outH: inH, outW: inW,
    };
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 3) throw inputShapeError(this, 'expected a per-sample input of rank 3 (height, width, channels)', inputShape);
    const g = this.geometryFor(1, inputShape);
    if (typeof g === 'string') throw inputShapeError(this, g, inputShape);
    return this.activated([g.inH, g.inW, this.config.filters]);
  }

  protected override buildWeights(inputShape: Shape): void {
    const c = this.config;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, c.filters, inputShape[2]!], {
      initializer: getInitializer(c.kernelInitializer ?? 'glorot_uniform'),
      regularizer: c.kernelRegularizer ? getRegularizer(c.kernelRegularizer) : null,
      constraint: c.kernelConstraint ? getConstraint(c.kernelConstraint) : null,
    });
    this.addBias(c.filters);
  }

  /** The kernel as the matrix [kh·kw·filters, in] that maps im2col rows of the output to input channels. */
  private kernelMatrix(kernel: Tensor): Tensor {
    const [kH, kW] = this.kernelSize;
    return this.backend.reshape(kernel, [kH * kW * this.config.filters, kernel.shape[3]!]);
  }

  protected convolve(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const g = this.geometryFor(x.shape[0]!, x.shape.slice(1)) as WindowGeometry;
    const inChannels = x.shape[3]!;
    const x2 = b.reshape(x, [g.batch * g.outH * g.outW, inChannels]);
    const cols = b.matmul(x2, this.kernelMatrix(this.kernel.value), { transposeB: true });
    const y = b.zeros([g.batch, g.inH, g.inW, g.channels]);
    b.col2im(cols, g, y);
    b.release(cols);
    this.geometry = training ? g : null;
    this.lastInput = training ? x : null;
    return y;
  }

  protected convolveBackward(dConv: Tensor): Tensor {
    const b = this.backend;
    const g = this.geometry;
    const x = this.lastInput;
    if (!g || !x) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const inChannels = x.shape[3]!;
    const cols = b.im2col(dConv, g);
    const x2 = b.reshape(x, [g.batch * g.outH * g.outW, inChannels]);
    b.addInPlace(this.kernelMatrix(this.kernel.grad), b.matmul(cols, x2, { transposeA: true }));
    const dx = b.matmul(cols, this.kernelMatrix(this.kernel.value));
    b.release(cols);
    return b.reshape(dx, x.shape);
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config = this.outputConfig({
      filters: c.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      outputPadding: this.outputPadding ? [...this.outputPadding] : null,
      dilationRate: [...this.dilationRate],
      kernelInitializer: c.kernelInitializer ?? 'glorot_uniform',
    });
    copyDefined(config, c, ['kernelRegularizer', 'kernelConstraint']);
    return config;
  }
}
