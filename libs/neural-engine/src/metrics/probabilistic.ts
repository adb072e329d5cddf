import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { metricNameSchema } from './common.js';
import { MeanMetric } from './mean-metric.js';
import type { MetricConfig } from './metric.js';
import {
  binaryCrossentropyRows, categoricalCrossentropyRows, klDivergenceRows, poissonRows, sparseCategoricalCrossentropyRows,
} from './loss-rows.js';

/** Label smoothing in [0, 1] (Keras). */
const labelSmoothingSchema = z.number().min(0).max(1);
/** The class axis; the batch axis (0) cannot be one. */
const axisSchema = z.number().int().refine((a) => a !== 0, { error: 'axis 0 is the batch axis' });

export const binaryCrossentropyMetricSchema = z
  .object({
    type: z.literal('BinaryCrossentropy'),
    name: metricNameSchema.optional(),
    fromLogits: z.boolean().optional(),
    labelSmoothing: labelSmoothingSchema.optional(),
  })
  .strict();
export type BinaryCrossentropyMetricConfig = z.input<typeof binaryCrossentropyMetricSchema>;

/** Mean binary crossentropy (Keras metrics.BinaryCrossentropy). */
export class BinaryCrossentropy extends MeanMetric {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;

  constructor(config: Omit<BinaryCrossentropyMetricConfig, 'type'> = {}) {
    const c = parseConfig(binaryCrossentropyMetricSchema, { ...config, type: 'BinaryCrossentropy' });
    super(c.name ?? 'binary_crossentropy');
    this.fromLogits = c.fromLogits ?? false;
    this.labelSmoothing = c.labelSmoothing ?? 0;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return binaryCrossentropyRows(this.fromLogits, this.labelSmoothing)(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return { type: 'BinaryCrossentropy', name: this.name, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

export const categoricalCrossentropyMetricSchema = z
  .object({
    type: z.literal('CategoricalCrossentropy'),
    name: metricNameSchema.optional(),
    fromLogits: z.boolean().optional(),
    labelSmoothing: labelSmoothingSchema.optional(),
    axis: axisSchema.optional(),
  })
  .strict();
export type CategoricalCrossentropyMetricConfig = z.input<typeof categoricalCrossentropyMetricSchema>;

/** Mean categorical crossentropy over one-hot labels (Keras metrics.CategoricalCrossentropy). */
export class CategoricalCrossentropy extends MeanMetric {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(config: Omit<CategoricalCrossentropyMetricConfig, 'type'> = {}) {
    const c = parseConfig(categoricalCrossentropyMetricSchema, { ...config, type: 'CategoricalCrossentropy' });
    super(c.name ?? 'categorical_crossentropy');
    this.fromLogits = c.fromLogits ?? false;
    this.labelSmoothing = c.labelSmoothing ?? 0;
    this.axis = c.axis ?? -1;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return categoricalCrossentropyRows(this.fromLogits, this.labelSmoothing, this.axis)(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return {
      type: 'CategoricalCrossentropy', name: this.name, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis,
    };
  }
}

export const sparseCategoricalCrossentropyMetricSchema = z
  .object({
    type: z.literal('SparseCategoricalCrossentropy'),
    name: metricNameSchema.optional(),
    fromLogits: z.boolean().optional(),
    axis: axisSchema.optional(),
  })
  .strict();
export type SparseCategoricalCrossentropyMetricConfig = z.input<typeof sparseCategoricalCrossentropyMetricSchema>;

/** Mean crossentropy over integer labels (Keras metrics.SparseCategoricalCrossentropy; it has no label smoothing). */
export class SparseCategoricalCrossentropy extends MeanMetric {
  readonly fromLogits: boolean;
  readonly axis: number;

  constructor(config: Omit<SparseCategoricalCrossentropyMetricConfig, 'type'> = {}) {
    const c = parseConfig(sparseCategoricalCrossentropyMetricSchema, { ...config, type: 'SparseCategoricalCrossentropy' });
    super(c.name ?? 'sparse_categorical_crossentropy');
    this.fromLogits = c.fromLogits ?? false;
    this.axis = c.axis ?? -1;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return sparseCategoricalCrossentropyRows(this.fromLogits, this.axis)(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return { type: 'SparseCategoricalCrossentropy', name: this.name, fromLogits: this.fromLogits, axis: this.axis };
  }
}

export const klDivergenceMetricSchema = z.object({ type: z.literal('KLDivergence'), name: metricNameSchema.optional() }).strict();
export type KLDivergenceMetricConfig = z.input<typeof klDivergenceMetricSchema>;

/** Mean Kullback-Leibler divergence Σ y·log(y/p) (Keras metrics.KLDivergence). */
export class KLDivergence extends MeanMetric {
  constructor(config: Omit<KLDivergenceMetricConfig, 'type'> = {}) {
    const c = parseConfig(klDivergenceMetricSchema, { ...config, type: 'KLDivergence' });
    super(c.name ?? 'kl_divergence');
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return klDivergenceRows(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return { type: 'KLDivergence', name: this.name };
  }
}

export const poissonMetricSchema = z.object({ type: z.literal('Poisson'), name: metricNameSchema.optional() }).strict();
export type PoissonMetricConfig = z.input<typeof poissonMetricSchema>;

/** Mean Poisson deviance term p - y·log(p) (Keras metrics.Poisson). */
export class Poisson extends MeanMetric {
  constructor(config: Omit<PoissonMetricConfig, 'type'> = {}) {
    const c = parseConfig(poissonMetricSchema, { ...config, type: 'Poisson' });
    super(c.name ?? 'poisson');
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return poissonRows(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return { type: 'Poisson', name: this.name };
  }
}
