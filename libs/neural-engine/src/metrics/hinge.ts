import { categoricalHingeRows, hingeRows, squaredHingeRows } from './loss-rows.js';
import { defineSimpleMeanMetric } from './simple-mean-metric.js';

/** Mean hinge max(1 - y·p, 0), 0/1 labels mapped to -1/1 (Keras metrics.Hinge). */
export const Hinge = defineSimpleMeanMetric('Hinge', 'hinge', hingeRows);
export type Hinge = InstanceType<typeof Hinge>;

/** Mean squared hinge max(1 - y·p, 0)² (Keras metrics.SquaredHinge). */
export const SquaredHinge = defineSimpleMeanMetric('SquaredHinge', 'squared_hinge', squaredHingeRows);
export type SquaredHinge = InstanceType<typeof SquaredHinge>;

/** Mean categorical hinge max(max((1-y)·p) - Σy·p + 1, 0) (Keras metrics.CategoricalHinge). */
export const CategoricalHinge = defineSimpleMeanMetric('CategoricalHinge', 'categorical_hinge', categoricalHingeRows);
export type CategoricalHinge = InstanceType<typeof CategoricalHinge>;
