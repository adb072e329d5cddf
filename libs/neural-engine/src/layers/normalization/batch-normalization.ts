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
import { type BackwardStatistics, type NormalizationPass, groupMoments, inverseStd, normalizeBackward, normalizeForward } from './grouped-normalization.js';

/** Keras's backend epsilon, added to the sum of mask weights when moments are masked. */
const MASKED_MOMENTS_EPSILON = 1e-7;

/** Strict config schema of the Keras `BatchNormalization` layer. */
export const batchNormalizationSchema = baseLayerSchema.extend({
  type: z.literal('BatchNormalization'),
  /** The features axis (or axes) that keep their own statistics (default -1); the batch axis counts as 0. */
  axis: axisListSchema.optional(),
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum: z.number().min(0).max(1).optional(),
  /** Added to the variance before the square root (default 1e-3). */
  epsilon: z.number().positive().optional(),
  /** Whether to add the learned offset beta (default true). */
  center: z.boolean().optional(),
  /** Whether to multiply by the learned scale gamma (default true). */
  scale: z.boolean().optional(),
  betaInitializer: initializerSchema.optional(),
  gammaInitializer: initializerSchema.optional(),
  movingMeanInitializer: initializerSchema.optional(),
  movingVarianceInitializer: initializerSchema.optional(),
  betaRegularizer: regularizerSchema.nullable().optional(),
  gammaRegularizer: regularizerSchema.nullable().optional(),
  betaConstraint: constraintSchema.nullable().optional(),
  gammaConstraint: constraintSchema.nullable().optional(),
  /** Cross-replica statistics; training runs on one device, so only false is accepted. */
  synchronized: z.literal(false).optional(),
}).strict();
/** Arguments of `BatchNormalization` as written in a model definition. */
export type BatchNormalizationConfig = z.input<typeof batchNormalizationSchema>;

/** What backward needs from the last forward pass. */
interface BatchNormCache {
  x: Tensor;
  pass: NormalizationPass;
  stats: BackwardStatistics;
}

/**
 * Keras `BatchNormalization`: in training, normalizes each feature with the batch mean and biased variance (and moves
 * the moving statistics towards them); in inference, and always when the layer is frozen, with the moving statistics.
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  private readonly config: z.output<typeof batchNormalizationSchema>;
  /** The axes as Keras lists them (an integer becomes a one-element list). */
  readonly axes: number[];
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private movingMean!: Variable;
  private movingVariance!: Variable;
  /** Parameter slot of each element of one sample. */
  private param!: Int32Array;
  private features = 0;
  private cache: BatchNormCache | null = null;

  constructor(config: Omit<BatchNormalizationConfig, 'type'> = {}) {
    const parsed = parseConfig(batchNormalizationSchema, { ...config, type: 'BatchNormalization' });
    super(parsed);
    this.config = parsed;
    const axis = parsed.axis ?? -1;
    this.axes = Array.isArray(axis) ? [...axis] : [axis];
    this.momentum = parsed.momentum ?? 0.99;
    this.epsilon = parsed.epsilon ?? 1e-3;
    // The statistics are per feature, so a timestep mask passes through unchanged (and weights the batch moments).
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
    const shape = keptDims(inputShape, axes);
    this.param = keptIndex(inputShape, axes);
    this.features = shapeSize(shape);
    // Keras order: gamma, beta, moving_mean, moving_variance.
    this.gamma = c.scale === false ? null : this.addWeight('gamma', shape, {
      initializer: getInitializer(c.gammaInitializer ?? 'ones'),
      regularizer: c.gammaRegularizer ? getRegularizer(c.gammaRegularizer) : null,
      constraint: c.gammaConstraint ? getConstraint(c.gammaConstraint) : null,
    });
    this.beta = c.center === false ? null : this.addWeight('beta', shape, {
      initializer: getInitializer(c.betaInitializer ?? 'zeros'),
      regularizer: c.betaRegularizer ? getRegularizer(c.betaRegularizer) : null,
      constraint: c.betaConstraint ? getConstraint(c.betaConstraint) : null,
    });
    this.movingMean = this.addWeight('moving_mean', shape, { initializer: getInitializer(c.movingMeanInitializer ?? 'zeros'), trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, {
      initializer: getInitializer(c.movingVarianceInitializer ?? 'ones'),
      trainable: false,
    });
  }

  /** Per-element weights from the input mask (Keras broadcasts a mask of rank one less than x over the last axis). */
  private maskWeights(x: Tensor): Float64Array | null {
    const mask = this.inputMask;
    if (!mask) return null;
    const last = x.shape[x.shape.length - 1]!;
    if (mask.size * last !== x.size) {
      throw new Error(`layer "${this.name}" (BatchNormalization): a mask of shape [${mask.shape.join(', ')}] does not fit inputs of shape [${x.shape.join(', ')}]`);
    }
    return Float64Array.from({ length: x.size }, (_, i) => mask.data[Math.floor(i / last)]!);
  }

  forward(x: Tensor, training: boolean): Tensor {
    // Each element's group is its feature, shared by every sample.
    const layout = { sampleGroup: this.param, perSample: 0 };
    // Keras: a frozen BatchNormalization runs in inference mode even while the model trains.
    const fromInput = training && this.trainable;
    let mean: ArrayLike<number> = this.movingMean.value.data;
    let variance: ArrayLike<number> = this.movingVariance.value.data;
    let stats: BackwardStatistics = { fromInput: false, groups: this.features, weights: null, denom: null };
    if (fromInput) {
      const weights = this.maskWeights(x);
      const m = groupMoments(x.data, layout, this.features, weights, weights ? MASKED_MOMENTS_EPSILON : 0);
      mean = m.mean;
      variance = m.variance;
      stats = { fromInput: true, groups: this.features, weights, denom: m.denom };
      // Keras moves the averages towards the biased batch variance.
      const mm = this.movingMean.value.data;
      const mv = this.movingVariance.value.data;
      for (let f = 0; f < this.features; f++) {
        mm[f] = mm[f]! * this.momentum + m.mean[f]! * (1 - this.momentum);
        mv[f] = mv[f]! * this.momentum + m.variance[f]! * (1 - this.momentum);
      }
    }
    const pass: NormalizationPass = {
      layout,
      param: this.param,
      // Copies: the moving statistics may change (a later training call) before backward.
      mean: Float64Array.from(mean),
      inv: inverseStd(variance, this.epsilon),
      gamma: this.gamma?.value.data ?? null,
      beta: this.beta?.value.data ?? null,
      centered: true,
    };
    const y = this.backend.zeros(x.shape);
    normalizeForward(x.data, y.data, pass);
    // Kept in inference too: gradients through a frozen (inference-mode) layer still flow to its input.
    this.cache = { x, pass, stats };
    return y;
  }

  backward(dy: Tensor): Tensor {
    const c = this.cache;
    if (!c) throw new Error(`layer ${this.name}: backward called before forward`);
    const dx = this.backend.zeros(c.x.shape);
    normalizeBackward(c.x.data, dy.data, dx.data, c.pass, c.stats, this.gamma?.grad.data ?? null, this.beta?.grad.data ?? null);
    return dx;
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config: LayerConfig = {
      ...this.baseConfig(),
      axis: this.axes.length === 1 && !Array.isArray(c.axis) ? this.axes[0]! : [...this.axes],
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: c.center ?? true,
      scale: c.scale ?? true,
      betaInitializer: c.betaInitializer ?? 'zeros',
      gammaInitializer: c.gammaInitializer ?? 'ones',
      movingMeanInitializer: c.movingMeanInitializer ?? 'zeros',
      movingVarianceInitializer: c.movingVarianceInitializer ?? 'ones',
    };
    for (const key of ['betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'] as const) {
      if (c[key]) config[key] = c[key];
    }
    config.synchronized = false;
    return config;
  }
}
