import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { metricNameSchema } from './common.js';
import type { RowFunction } from './loss-rows.js';
import { MeanMetric } from './mean-metric.js';
import type { MetricConfig } from './metric.js';

/** Schema of a metric whose only argument is `name`. */
export function nameOnlySchema<T extends string>(type: T) {
  return z.object({ type: z.literal(type), name: metricNameSchema.optional() }).strict();
}

/** Config of a metric whose only argument is `name`. */
export interface NameOnlyConfig {
  name?: string | undefined;
}

/** A Keras MeanMetricWrapper metric with no argument but `name` (mse, mae, hinge...): the mean of a per-row function. */
export abstract class SimpleMeanMetric extends MeanMetric {
  /** Keras class name, the `type` of its config. */
  readonly className: string;

  constructor(schema: z.ZodObject, type: string, defaultName: string, private readonly fn: RowFunction, config: NameOnlyConfig) {
    const c = parseConfig(schema, { ...config, type }) as NameOnlyConfig;
    super(c.name ?? defaultName);
    this.className = type;
  }

  protected rowValues(yTrue: Tensor, yPred: Tensor): Float64Array {
    return this.fn(yTrue, yPred);
  }

  getConfig(): MetricConfig {
    return { type: this.className, name: this.name };
  }
}
