import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import type { RowFunction } from './loss-rows.js';
import { metricNameSchema } from './common.js';
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

/**
 * Defines a Keras MeanMetricWrapper metric with no arguments but `name`: mse, mae, hinge... Each gets its own class
 * (so `instanceof` and class names match Keras) and a schema accepting `{type, name?}`.
 */
export function defineSimpleMeanMetric<T extends string>(type: T, defaultName: string, fn: RowFunction) {
  const schema = nameOnlySchema(type);
  const cls = class extends MeanMetric {
    static readonly schema = schema;
    constructor(config: NameOnlyConfig = {}) {
      const c = parseConfig(schema, { ...config, type });
      super(c.name ?? defaultName);
    }

    protected rowValues(yTrue: Tensor, yPred: Tensor): ArrayLike<number> {
      return fn(yTrue, yPred);
    }

    getConfig(): MetricConfig {
      return { type, name: this.name };
    }
  };
  Object.defineProperty(cls, 'name', { value: type });
  return cls;
}
