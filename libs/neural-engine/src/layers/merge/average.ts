import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { FloatArray } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/** Strict config schema of the Keras `Average` layer (unknown properties are rejected). */
export const averageSchema = baseLayerSchema.extend({ type: z.literal('Average') }).strict();
/** Arguments of `Average` as written in a model definition. */
export type AverageConfig = z.input<typeof averageSchema>;

/** Keras `Average`: the element-wise mean of two or more inputs (broadcast where a size is 1). */
export class Average extends ElementwiseMerge {
  readonly className = 'Average';

  constructor(config: Omit<AverageConfig, 'type'> = {}) {
    super(parseConfig(averageSchema, { ...config, type: 'Average' }));
  }

  protected combine(xs: readonly FloatArray[], out: FloatArray): void {
    // Sum, then divide once, as Keras does (sum of the inputs / their count).
    for (const x of xs) for (let i = 0; i < out.length; i++) out[i]! += x[i]!;
    const n = xs.length;
    for (let i = 0; i < out.length; i++) out[i]! /= n;
  }

  protected inputGradient(_k: number, dy: FloatArray, xs: readonly FloatArray[], out: FloatArray): void {
    const n = xs.length;
    for (let i = 0; i < out.length; i++) out[i] = dy[i]! / n;
  }

  getConfig(): LayerConfig {
    return this.baseConfig();
  }
}
