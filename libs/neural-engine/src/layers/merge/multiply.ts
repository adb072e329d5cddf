import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { FloatArray } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/** Strict config schema of the Keras `Multiply` layer (unknown properties are rejected). */
export const multiplySchema = baseLayerSchema.extend({ type: z.literal('Multiply') }).strict();
/** Arguments of `Multiply` as written in a model definition. */
export type MultiplyConfig = z.input<typeof multiplySchema>;

/** Keras `Multiply`: the element-wise product of two or more inputs (broadcast where a size is 1). */
export class Multiply extends ElementwiseMerge {
  readonly className = 'Multiply';

  constructor(config: Omit<MultiplyConfig, 'type'> = {}) {
    super(parseConfig(multiplySchema, { ...config, type: 'Multiply' }));
  }

  protected combine(xs: readonly FloatArray[], out: FloatArray): void {
    out.set(xs[0]!);
    for (let k = 1; k < xs.length; k++) {
      const x = xs[k]!;
      for (let i = 0; i < out.length; i++) out[i]! *= x[i]!;
    }
  }

  protected inputGradient(k: number, dy: FloatArray, xs: readonly FloatArray[], out: FloatArray): void {
    // dy · Π_{j≠k} x_j, formed as a product rather than y / x_k so that zero inputs get their exact gradient.
    out.set(dy);
    xs.forEach((x, j) => {
      if (j !== k) for (let i = 0; i < out.length; i++) out[i]! *= x[i]!;
    });
  }

  getConfig(): LayerConfig {
    return this.baseConfig();
  }
}
