import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { ExtremumMerge } from './extremum-merge.js';

/** Strict config schema of the Keras `Minimum` layer (unknown properties are rejected). */
export const minimumSchema = baseLayerSchema.extend({ type: z.literal('Minimum') }).strict();
/** Arguments of `Minimum` as written in a model definition. */
export type MinimumConfig = z.input<typeof minimumSchema>;

/** Keras `Minimum`: the element-wise minimum of two or more inputs; ties go to the first input (see ExtremumMerge). */
export class Minimum extends ExtremumMerge {
  readonly className = 'Minimum';

  constructor(config: Omit<MinimumConfig, 'type'> = {}) {
    super(parseConfig(minimumSchema, { ...config, type: 'Minimum' }));
  }

  protected beats(candidate: number, current: number): boolean {
    return candidate < current || Number.isNaN(candidate); // NaN propagates, as in tf.minimum
  }

  getConfig(): LayerConfig {
    return this.baseConfig();
  }
}
