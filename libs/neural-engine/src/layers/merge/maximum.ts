import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { ExtremumMerge } from './extremum-merge.js';

/** Strict config schema of the Keras `Maximum` layer (unknown properties are rejected). */
export const maximumSchema = baseLayerSchema.extend({ type: z.literal('Maximum') }).strict();
/** Arguments of `Maximum` as written in a model definition. */
export type MaximumConfig = z.input<typeof maximumSchema>;

/** Keras `Maximum`: the element-wise maximum of two or more inputs; ties go to the first input (see ExtremumMerge). */
export class Maximum extends ExtremumMerge {
  readonly className = 'Maximum';

  constructor(config: Omit<MaximumConfig, 'type'> = {}) {
    super(parseConfig(maximumSchema, { ...config, type: 'Maximum' }));
  }

  protected beats(candidate: number, current: number): boolean {
    return candidate > current || Number.isNaN(candidate); // NaN propagates, as in tf.maximum
  }

  getConfig(): LayerConfig {
    return this.baseConfig();
  }
}
