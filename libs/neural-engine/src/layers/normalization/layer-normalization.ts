import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { constraintSchema, getConstraint } from '../../constraints/index.js';
import { getInitializer, initializerSchema } from '../../initializers/index.js';
import { getRegularizer, regularizerSchema } from '../../regularizers/index.js';
import { type Shape, type Tensor, shapeSize } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import type { Variable } from '../variable.js';
import { axisListSchema, keptDims, keptIndex, resolveSampleAxes } from './axes.js';
import { type NormalizationPass, groupMoments, inverseStd, normalizeBackward, normalizeForward } from './grouped-normalization.js';

/** Strict config schema of the Keras `LayerNormalization` layer. */
export const layerNormalizationSchema = baseLayerSchema.extend({
  type: z.literal('LayerNormalization'),
  /** The axis (or axes) normalized over, per sample (default -1); the batch axis counts as 0. */
  axis: axisListSchema.optional(),
  /** Added to the variance before the square root (default 1e-3). */
  epsilon: z.number().positive().optional(),
  /** Whether to add the learned offset beta (default true; ignored with rmsScaling). */
  center: z.boolean().optional(),
  /** Whether to multiply by the learned scale gamma (default true; gamma is always used with rmsScaling). */
  scale: z.boolean().optional(),
  /** Keras 3: skip centering and scale x by gamma/sqrt(variance + epsilon) (default false). */
  rmsScaling: z.boolean().optional(),
  betaInitializer: initializerSchema.optional(),
  gammaInitializer: initializerSchema.optional(),
  betaRegularizer: regularizerSchema.nullable().optional(),
  gammaRegularizer: regularizerSchema.nullable().optional(),
  betaConstraint: constraintSchema.nullable().optional(),
  gammaConstraint: constraintSchema.nullable().optional(),
}).strict();
/** Arguments of `LayerNormalization` as written in a model definition. */
export type LayerNormalizationConfig = z.input<typeof layerNormalizationSchema>;

/**
 * Keras `LayerNormalization`: normalizes each sample over `axis` with its own mean and variance, then applies gamma and
 * beta spanning those axes. Training and inference compute the same thing.
 */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  private readonly config: z.output<typeof layerNormalizationSchema>;
  /** The axes as Keras lists them (an integer becomes a one-element list). */
  readonly axes: number[];
  readonly epsilon: number;
  readonly rmsScaling: boolean;
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  /** Parameter slot of each element of one sample. */
  private param!: Int32Array;
  /** Statistic group of each element of one sample, and the number of groups per sample. */
  private sampleGroup!: Int32Array;
  private groupsPerSample = 0;
  private cache: { x: Tensor; pass: NormalizationPass; groups: number; denom: Float64Array } | null = null;

  constructor(config: Omit<LayerNormalizationConfig, 'type'> = {}) {
    const parsed = parseConfig(layerNormalizationSchema, { ...config, type: 'LayerNormalization' });
    super(parsed);
    this.config = parsed;
    const axis = parsed.axis ?? -1;
    this.axes = Array.isArray(axis) ? [...axis] : [axis];
    this.epsilon = parsed.epsilon ?? 1e-3;
    this.rmsScaling = parsed.rmsScaling ?? false;
    this.supportsMasking = true;
  }

  computeOutputShape(inputShape: Shape): Shape {
    const axes = resolveSampleAxes(this.axes, inputShape);
    if (typeof axes === 'string') throw inputShapeError(this, axes, inputShape);
    return [...inputShape];
  }

  protected override buildWeights(inputShape: Shape): void {
    const c = this.config;
    const axes = resolveSampleAxes(this.axes, inputShape) as number[];
    // Keras: the weight shape lists the axes in the order given; the data is laid out in axis order.
    const shape = keptDims(inputShape, axes);
    this.param = keptIndex(inputShape, axes);
    const others = inputShape.map((_, k) => k).filter((k) => !axes.includes(k));
    this.sampleGroup = keptIndex(inputShape, others);
    this.groupsPerSample = shapeSize(keptDims(inputShape, others));
    this.gamma = c.scale === false && !this.rmsScaling ? null : this.addWeight('gamma', shape, {
      initializer: getInitializer(c.gammaInitializer ?? 'ones'),
      regularizer: c.gammaRegularizer ? getRegularizer(c.gammaRegularizer) : null,
      constraint: c.gammaConstraint ? getConstraint(c.gammaConstraint) : null,
    });
    this.beta = c.center === false || this.rmsScaling ? null : this.addWeight('beta', shape, {
      initializer: getInitializer(c.betaInitializer ?? 'zeros'),
      regularizer: c.betaRegularizer ? getRegularizer(c.betaRegularizer) : null,
      constraint: c.betaConstraint ? getConstraint(c.betaConstraint) : null,
    });
  }

  forward(x: Tensor, _training: boolean): Tensor {
    // Each sample has its own groups: (sample, position outside the axes).
    const layout = { sampleGroup: this.sampleGroup, perSample: this.groupsPerSample };
    const groups = x.size === 0 ? 0 : (x.size / this.sampleGroup.length) * this.groupsPerSample;
    const m = groupMoments(x.data, layout, groups, null);
    const pass: NormalizationPass = {
      layout,
      param: this.param,
      mean: m.mean,
      inv: inverseStd(m.variance, this.epsilon),
      gamma: this.gamma?.value.data ?? null,
      beta: this.beta?.value.data ?? null,
      // Keras 3's (deprecated) rms_scaling divides x by sqrt(variance + epsilon), variance still about the mean.
      centered: !this.rmsScaling,
    };
    const y = this.backend.zeros(x.shape);
    normalizeForward(x.data, y.data, pass);
    this.cache = { x, pass, groups, denom: m.denom };
    return y;
  }

  backward(dy: Tensor): Tensor {
    const c = this.cache;
    if (!c) throw new Error(`layer ${this.name}: backward called before forward`);
    const dx = this.backend.zeros(c.x.shape);
    const stats = { fromInput: true, groups: c.groups, weights: null, denom: c.denom };
    normalizeBackward(c.x.data, dy.data, dx.data, c.pass, stats, this.gamma?.grad.data ?? null, this.beta?.grad.data ?? null);
    return dx;
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config: LayerConfig = {
      ...this.baseConfig(),
      axis: this.axes.length === 1 && !Array.isArray(c.axis) ? this.axes[0]! : [...this.axes],
      epsilon: this.epsilon,
      center: c.center ?? true,
      scale: c.scale ?? true,
      rmsScaling: this.rmsScaling,
      betaInitializer: c.betaInitializer ?? 'zeros',
      gammaInitializer: c.gammaInitializer ?? 'ones',
    };
    for (const key of ['betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'] as const) {
      if (c[key]) config[key] = c[key];
    }
    return config;
  }
}
