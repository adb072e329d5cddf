import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import type { Shape } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { type SampleMap, gatherMap } from './sample-map.js';
import { SampleMapLayer } from './sample-map-layer.js';

/** Strict config schema of the Keras `RepeatVector` layer. */
export const repeatVectorSchema = baseLayerSchema.extend({
  type: z.literal('RepeatVector'),
  /** Number of repetitions. */
  n: positiveInt,
}).strict();
/** Arguments of `RepeatVector` as written in a model definition. */
export type RepeatVectorConfig = z.input<typeof repeatVectorSchema>;

/** Keras `RepeatVector`: (batch, features) → (batch, n, features), the input repeated n times. */
export class RepeatVector extends SampleMapLayer {
  readonly className = 'RepeatVector';
  readonly n: number;

  constructor(config: Omit<RepeatVectorConfig, 'type'>) {
    const parsed = parseConfig(repeatVectorSchema, { ...config, type: 'RepeatVector' });
    super(parsed);
    this.n = parsed.n;
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 1) throw inputShapeError(this, 'expects an input of rank 2 (batch, features)', inputShape);
    return [this.n, inputShape[0]!];
  }

  protected sampleMap(inputShape: Shape, outputShape: Shape): SampleMap {
    return gatherMap(inputShape, outputShape, (coords) => coords[1]!);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), n: this.n };
  }
}
