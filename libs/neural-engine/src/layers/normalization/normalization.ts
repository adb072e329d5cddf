import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { getInitializer } from '../../initializers/index.js';
import { type Shape, type Tensor, formatShape, shapeSize } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import type { Variable } from '../variable.js';
import { keptDims, keptIndex, resolveSampleAxes } from './axes.js';
import { type AdaptStatistics, type AdaptedStatistics, checkStatistics, dataMoments } from './normalization-statistics.js';
import { type NumericLiteral, type ShapedValues, broadcastValues, numericLiteralSchema, shapedValues } from './numeric-literal.js';

/** Keras's backend epsilon: the standard deviation is floored at it, so constant features do not divide by 0. */
const STD_FLOOR = 1e-7;

/** Strict config schema of the Keras `Normalization` preprocessing layer. */
export const normalizationSchema = baseLayerSchema.extend({
  type: z.literal('Normalization'),
  /** Axis or axes that keep their own mean and variance (default -1); null for one mean and variance overall. */
  axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).nullable().optional(),
  /** Fixed mean (scalar or array broadcast over the kept axes); when absent, learned by adapt. */
  mean: numericLiteralSchema.nullable().optional(),
  /** Fixed variance, given together with mean and of the same shape. */
  variance: numericLiteralSchema.nullable().optional(),
  /** Map normalized values back: y = mean + x·sqrt(variance) (default false). */
  invert: z.boolean().optional(),
}).strict().superRefine((c, ctx) => {
  if ((c.mean == null) !== (c.variance == null)) {
    ctx.addIssue({ code: 'custom', path: [c.mean == null ? 'mean' : 'variance'], message: 'mean and variance must be given together', input: c.mean ?? c.variance });
    return;
  }
  if (c.mean == null || c.variance == null) return;
  const mean = shapedValues(c.mean);
  const variance = shapedValues(c.variance);
  if (typeof mean === 'string') ctx.addIssue({ code: 'custom', path: ['mean'], message: mean, input: c.mean });
  if (typeof variance === 'string') ctx.addIssue({ code: 'custom', path: ['variance'], message: variance, input: c.variance });
  if (typeof mean === 'string' || typeof variance === 'string') return;
  if (mean.shape.join() !== variance.shape.join()) {
    ctx.addIssue({ code: 'custom', path: ['variance'], message: `must have the shape of mean [${mean.shape.join(', ')}]`, input: c.variance });
  }
  const axes = c.axis === null ? 0 : Array.isArray(c.axis) ? c.axis.length : 1;
  if (mean.shape.length > axes) ctx.addIssue({ code: 'custom', path: ['mean'], message: `rank ${mean.shape.length} exceeds the number of axes (${axes})`, input: c.mean });
  if (variance.values.some((v) => v < 0)) ctx.addIssue({ code: 'custom', path: ['variance'], message: 'must be >= 0', input: c.variance });
});
/** Arguments of `Normalization` as written in a model definition. */
export type NormalizationConfig = z.input<typeof normalizationSchema>;

/**
 * Keras `Normalization`: y = (x − mean)/max(sqrt(variance), 1e-7) per position of the kept axes (or the inverse with
 * `invert`). Mean and variance are given in the config, or learned by `adapt` / `adaptFromStatistics` and then held in
 * the non-trainable weights `mean`, `variance` and `count` (Keras's layout), so they are saved with the model.
 */
export class Normalization extends Layer {
  readonly className = 'Normalization';
  private readonly config: z.output<typeof normalizationSchema>;
  /** Kept axes as Keras axes (batch = 0); empty for axis null. */
  readonly axes: number[];
  readonly invert: boolean;
  private meanVar: Variable | null = null;
  private varianceVar: Variable | null = null;
  private countVar: Variable | null = null;
  /** Mean and variance from the config, broadcast over the kept axes (after build). */
  private fixed: { mean: Float64Array; variance: Float64Array } | null = null;
  /** Statistics from adapt, kept so that building (again) writes them into the new weights. */
  private adapted: AdaptedStatistics | null = null;
  /** Kept-axis slot of each element of one sample. */
  private slot!: Int32Array;
  /** Shape of the mean and variance: the sizes of the kept axes, in axis order. */
  private statShape: number[] | null = null;

  constructor(config: Omit<NormalizationConfig, 'type'> = {}) {
    const parsed = parseConfig(normalizationSchema, { ...config, type: 'Normalization' });
    super(parsed);
    this.config = parsed;
    const axis = parsed.axis === undefined ? -1 : parsed.axis;
    this.axes = axis === null ? [] : Array.isArray(axis) ? [...axis] : [axis];
    this.invert = parsed.invert ?? false;
    this.supportsMasking = true;
  }

  /** Kept per-sample axes in axis order (Keras sorts them), or a problem description. */
  private keptAxes(inputShape: Shape): number[] | string {
    const axes = resolveSampleAxes(this.axes, inputShape);
    return typeof axes === 'string' ? axes : axes.sort((a, b) => a - b);
  }

  /** The config's mean and variance broadcast over the kept axes; throws naming the layer when they do not fit. */
  private fixedStatistics(mean: NumericLiteral, variance: NumericLiteral, inputShape: Shape, statShape: Shape): { mean: Float64Array; variance: Float64Array } {
    // The schema has already rejected ragged literals, so shapedValues returns values here.
    const m = broadcastValues(shapedValues(mean) as ShapedValues, statShape);
    const v = broadcastValues(shapedValues(variance) as ShapedValues, statShape);
    if (typeof m === 'string') throw inputShapeError(this, `mean: ${m}`, inputShape);
    if (typeof v === 'string') throw inputShapeError(this, `variance: ${v}`, inputShape);
    return { mean: m, variance: v };
  }

  computeOutputShape(inputShape: Shape): Shape {
    const axes = this.keptAxes(inputShape);
    if (typeof axes === 'string') throw inputShapeError(this, axes, inputShape);
    const c = this.config;
    if (c.mean != null && c.variance != null) this.fixedStatistics(c.mean, c.variance, inputShape, keptDims(inputShape, axes));
    if (this.adapted && this.adapted.mean.length !== 1 && this.adapted.mean.length !== shapeSize(keptDims(inputShape, axes))) {
      throw inputShapeError(this, `it was adapted to ${this.adapted.mean.length} statistics, the kept axes hold ${shapeSize(keptDims(inputShape, axes))}`, inputShape);
    }
    return [...inputShape];
  }

  protected override buildWeights(inputShape: Shape): void {
    const axes = this.keptAxes(inputShape) as number[];
    const shape = keptDims(inputShape, axes);
    this.statShape = shape;
    this.slot = keptIndex(inputShape, axes);
    const c = this.config;
    if (c.mean != null && c.variance != null) {
      this.fixed = this.fixedStatistics(c.mean, c.variance, inputShape, shape);
      return;
    }
    // Keras layout of an adaptable Normalization: mean, variance, count (a scalar), none trainable.
    this.meanVar = this.addWeight('mean', shape, { initializer: getInitializer('zeros'), trainable: false });
    this.varianceVar = this.addWeight('variance', shape, { initializer: getInitializer('ones'), trainable: false });
    this.countVar = this.addWeight('count', [], { initializer: getInitializer('zeros'), trainable: false });
    if (this.adapted) this.store(this.adapted);
  }

  /** Computes the mean and variance of `data` (batch axis first) over every axis but the kept ones, and stores them. */
  adapt(data: { shape: Shape; data: ArrayLike<number> }): void {
    this.requireAdaptable();
    if (data.shape.length < 1) throw new Error(`${this.who}: adapt data needs a batch axis, received shape []`);
    const sampleShape = data.shape.slice(1);
    const axes = this.keptAxes(sampleShape);
    if (typeof axes === 'string') throw inputShapeError(this, `cannot adapt: ${axes}`, sampleShape);
    if (this.statShape && keptDims(sampleShape, axes).join() !== this.statShape.join()) {
      throw inputShapeError(this, `cannot adapt to data whose kept axes are ${formatShape(keptDims(sampleShape, axes), false)} after being built with ${formatShape(this.statShape, false)}`, sampleShape);
    }
    if (data.data.length !== shapeSize(data.shape)) {
      throw new Error(`${this.who}: adapt data has ${data.data.length} values for shape ${formatShape(data.shape, false)}`);
    }
    const stats = dataMoments(data.data, keptIndex(sampleShape, axes), shapeSize(keptDims(sampleShape, axes)));
    this.adapted = stats;
    if (this.built) this.store(stats);
  }

  /** Sets the mean and variance directly (e.g. from statistics computed when a dataset was uploaded). */
  adaptFromStatistics(statistics: AdaptStatistics): void {
    this.requireAdaptable();
    const expected = this.statShape ? shapeSize(this.statShape) : undefined;
    this.adapted = checkStatistics(statistics, expected, this.who);
    if (this.built) this.store(this.adapted);
  }

  /** How errors name the layer, as inputShapeError does. */
  private get who(): string {
    return this.name ? `layer "${this.name}" (Normalization)` : 'Normalization layer';
  }

  private requireAdaptable(): void {
    if (this.config.mean != null) {
      throw new Error(`${this.who}: mean and variance are fixed by its config, so it cannot be adapted`);
    }
  }

  /** Writes adapted statistics into the weights. */
  private store(stats: AdaptedStatistics): void {
    // A scalar statistic (adaptFromStatistics before build) applies to every kept position.
    const fill = (target: Float64Array | Float32Array, v: Float64Array): void => {
      if (v.length === 1) target.fill(v[0]!);
      else target.set(v);
    };
    fill(this.meanVar!.value.data, stats.mean);
    fill(this.varianceVar!.value.data, stats.variance);
    this.countVar!.value.data[0] = stats.count;
  }

  /** Mean and variance in use: the config's, or the weights' (which a restored model loads). */
  private statistics(): { mean: ArrayLike<number>; variance: ArrayLike<number> } {
    if (this.fixed) return this.fixed;
    const mean = this.meanVar!.value.data;
    const variance = this.varianceVar!.value.data;
    // Never adapted: weights at their initial zeros/ones and count 0 (Keras would silently pass x through).
    const untouched = this.countVar!.value.data[0] === 0 && mean.every((m) => m === 0) && variance.every((v) => v === 1);
    if (!this.adapted && untouched) {
      throw new Error(
        `${this.who} has no mean and variance: call adapt(data) or adaptFromStatistics({ mean, variance }) before using it, or give mean and variance in its config`,
      );
    }
    return { mean, variance };
  }

  forward(x: Tensor, _training: boolean): Tensor {
    const { mean, variance } = this.statistics();
    const slot = this.slot;
    const n = slot.length;
    const std = Float64Array.from(variance, (v) => Math.max(Math.sqrt(v), STD_FLOOR));
    return this.invert
      ? this.backend.map(x, (v, i) => mean[slot[i % n]!]! + v * std[slot[i % n]!]!)
      : this.backend.map(x, (v, i) => (v - mean[slot[i % n]!]!) / std[slot[i % n]!]!);
  }

  backward(dy: Tensor): Tensor {
    const { variance } = this.statistics();
    const slot = this.slot;
    const n = slot.length;
    const std = Float64Array.from(variance, (v) => Math.max(Math.sqrt(v), STD_FLOOR));
    return this.invert ? this.backend.map(dy, (g, i) => g * std[slot[i % n]!]!) : this.backend.map(dy, (g, i) => g / std[slot[i % n]!]!);
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const copy = (v: NumericLiteral | null | undefined): NumericLiteral | null => (v == null ? null : (JSON.parse(JSON.stringify(v)) as NumericLiteral));
    return {
      ...this.baseConfig(),
      axis: c.axis === undefined ? -1 : c.axis === null ? null : Array.isArray(c.axis) ? [...c.axis] : c.axis,
      invert: this.invert,
      mean: copy(c.mean),
      variance: copy(c.variance),
    };
  }
}
