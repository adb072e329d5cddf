import type { z } from 'zod';
import { getConstraint } from '../../constraints/index.js';
import { getInitializer } from '../../initializers/index.js';
import { type PaddingMode, type WindowGeometry, windowGeometry } from '../../kernels/window-geometry.js';
import { getRegularizer } from '../../regularizers/index.js';
import type { Shape, Tensor } from '../../tensor.js';
import type { LayerConfig } from '../layer.js';
import { inputShapeError } from '../layer-errors.js';
import type { Variable } from '../variable.js';
import { copyDefined, type kernelArgs, toTuple } from './conv-args.js';
import { type ConvOutputConfig, ConvLayerBase } from './conv-layer-base.js';
import { type GroupedConvCache, groupedConvBackward, groupedConvKernelGradient, groupedConvForward } from './grouped-conv.js';

/** The parsed arguments of Conv1D and Conv2D. */
export type ConvArgs = ConvOutputConfig & {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[] | undefined;
  padding?: PaddingMode | undefined;
  dilationRate?: number | number[] | undefined;
  groups?: number | undefined;
} & KernelArgs;

/** The parsed kernel initializer, regularizer and constraint (see kernelArgs). */
export type KernelArgs = { [K in keyof typeof kernelArgs]?: z.output<(typeof kernelArgs)[K]> };

/**
 * Keras's base convolution (Conv1D, Conv2D): kernel [...kernelSize, in/groups, filters], then bias. A 1-D convolution
 * runs as a 2-D one over a single row (kernel height 1), so both share the same kernels.
 */
export abstract class Conv extends ConvLayerBase {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: PaddingMode;
  readonly groups: number;
  private kernel!: Variable;
  private geometry: WindowGeometry | null = null;
  private cache: GroupedConvCache | null = null;

  constructor(private readonly args: ConvArgs, readonly rank: 1 | 2) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = toTuple(args.kernelSize, rank);
    this.strides = toTuple(args.strides ?? 1, rank);
    this.dilationRate = toTuple(args.dilationRate ?? 1, rank);
    this.padding = args.padding ?? 'valid';
    this.groups = args.groups ?? 1;
  }

  /** As 2-D values: a 1-D layer is a 2-D one of height 1. */
  private as2d(v: number[]): [number, number] {
    return this.rank === 1 ? [1, v[0]!] : [v[0]!, v[1]!];
  }

  private geometryFor(batch: number, inputShape: Shape): WindowGeometry {
    const [h, w, c] = this.rank === 1 ? [1, inputShape[0]!, inputShape[1]!] : [inputShape[0]!, inputShape[1]!, inputShape[2]!];
    return windowGeometry([batch, h, w, c], this.as2d(this.kernelSize), this.as2d(this.strides), this.as2d(this.dilationRate), this.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.rank + 1) {
      throw inputShapeError(this, `expected a per-sample input of rank ${this.rank + 1} (${this.rank === 1 ? 'steps, channels' : 'height, width, channels'})`, inputShape);
    }
    const channels = inputShape[this.rank]!;
    if (channels % this.groups !== 0) {
      throw inputShapeError(this, `the number of input channels (${channels}) must be divisible by groups (${this.groups})`, inputShape);
    }
    const g = this.geometryFor(1, inputShape);
    if (g.outH <= 0 || g.outW <= 0) {
      throw inputShapeError(this, `the input is smaller than the dilated kernel ${JSON.stringify(this.kernelSize)}`, inputShape);
    }
    const spatial = this.rank === 1 ? [g.outW] : [g.outH, g.outW];
    return this.activated([...spatial, this.filters]);
  }

  protected override buildWeights(inputShape: Shape): void {
    const a = this.args;
    const channels = inputShape[this.rank]!;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels / this.groups, this.filters], {
      initializer: getInitializer(a.kernelInitializer ?? 'glorot_uniform'),
      regularizer: a.kernelRegularizer ? getRegularizer(a.kernelRegularizer) : null,
      constraint: a.kernelConstraint ? getConstraint(a.kernelConstraint) : null,
    });
    this.addBias(this.filters);
  }

  protected convolve(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const batch = x.shape[0]!;
    const g = this.geometryFor(batch, x.shape.slice(1));
    const { y, cache } = groupedConvForward(b, x, this.kernel.value, g, this.groups, training);
    this.geometry = training ? g : null;
    this.cache = cache;
    const spatial = this.rank === 1 ? [g.outW] : [g.outH, g.outW];
    return b.reshape(y, [batch, ...spatial, this.filters]);
  }

  protected convolveBackward(dConv: Tensor): Tensor {
    const b = this.backend;
    const g = this.geometry;
    if (!g || !this.cache) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dy = b.reshape(dConv, [g.batch * g.outH * g.outW, this.filters]);
    const dx = groupedConvBackward(b, dy, this.kernel.value, this.kernel.grad, this.cache, g, this.groups);
    const inShape = this.rank === 1 ? [g.batch, g.inW, g.channels] : [g.batch, g.inH, g.inW, g.channels];
    return b.reshape(dx, inShape);
  }

  protected override convolveBackwardWeights(dConv: Tensor): void {
    const g = this.geometry;
    if (!g || !this.cache) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dy = this.backend.reshape(dConv, [g.batch * g.outH * g.outW, this.filters]);
    groupedConvKernelGradient(this.backend, dy, this.kernel.grad, this.cache, g, this.groups);
  }

  getConfig(): LayerConfig {
    const a = this.args;
    const config = this.outputConfig({
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      groups: this.groups,
      kernelInitializer: a.kernelInitializer ?? 'glorot_uniform',
    });
    copyDefined(config, a, ['kernelRegularizer', 'kernelConstraint']);
    return config;
  }
}
