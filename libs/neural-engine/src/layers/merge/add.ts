import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { FloatArray } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/** Strict config schema of the Keras `Add` layer (unknown properties are rejected). */
export const addSchema = baseLayerSchema.extend({ type: z.literal('Add') }).strict();
/** Arguments of `Add` as written in a model definition. */
export type AddConfig = z.input<typeof addSchema>;

/** Keras `Add`: the element-wise sum of two or more inputs (broadcast where a size is 1). */
export class Add extends ElementwiseMerge {
  readonly className = 'Add';

  constructor(config: Omit<AddConfig, 'type'> = {}) {
    super(parseConfig(addSchema, { ...config, type: 'Add' }));
  }

  protected combine(xs: readonly FloatArray[], out: FloatArray): void {
    for (const x of xs) for (let i = 0; i < out.length; i++) out[i]! += x[i]!;
  }

  protected inputGradient(_k: number, dy: FloatArray, _xs: readonly FloatArray[], out: FloatArray): void {
    out.set(dy);
  }

  getConfig(): LayerConfig {
    return this.baseConfig();
  }
}
