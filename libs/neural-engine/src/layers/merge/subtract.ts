import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { FloatArray } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/** Strict config schema of the Keras `Subtract` layer (unknown properties are rejected). */
export const subtractSchema = baseLayerSchema.extend({ type: z.literal('Subtract') }).strict();
/** Arguments of `Subtract` as written in a model definition. */
export type SubtractConfig = z.input<typeof subtractSchema>;

/** Keras `Subtract`: inputs[0] - inputs[1], for exactly two inputs (broadcast where a size is 1). */
export class Subtract extends ElementwiseMerge {
  readonly className = 'Subtract';
  protected override readonly maxInputs = 2;

  constructor(config: Omit<SubtractConfig, 'type'> = {}) {
    super(parseConfig(subtractSchema, { ...config, type: 'Subtract' }));
  }

  protected combine(xs: readonly FloatArray[], out: FloatArray): void {
    const [a, b] = xs as [FloatArray, FloatArray];
    for (let i = 0; i < out.length; i++) out[i] = a[i]! - b[i]!;
  }

  protected inputGradient(k: number, dy: FloatArray, _xs: readonly FloatArray[], out: FloatArray): void {
    if (k === 0) out.set(dy);
    else for (let i = 0; i < out.length; i++) out[i] = -dy[i]!;
  }

  getConfig(): LayerConfig {
    return this.baseConfig();
  }
}
