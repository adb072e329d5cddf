import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { Shape } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { channelsLastSchema } from './data-format.js';
import { type Sides, sides2DSchema, sidesSchema, toSides, toSides2D } from './int-pairs.js';
import type { SampleMap } from './sample-map.js';
import { SampleMapLayer } from './sample-map-layer.js';
import { shiftedMap } from './spatial-offsets.js';

/** Strict config schema of the Keras `Cropping1D` layer (Keras 3 gives it no data_format). */
export const cropping1DSchema = baseLayerSchema.extend({
  type: z.literal('Cropping1D'),
  /** Steps removed: an int (both ends) or [start, end]. Default [1, 1]. */
  cropping: sidesSchema.optional(),
}).strict();
/** Arguments of `Cropping1D` as written in a model definition. */
export type Cropping1DConfig = z.input<typeof cropping1DSchema>;

/** Strict config schema of the Keras `Cropping2D` layer. */
export const cropping2DSchema = baseLayerSchema.extend({
  type: z.literal('Cropping2D'),
  /** Rows and columns removed: an int, [height, width] (symmetric) or [[top, bottom], [left, right]]. Default none. */
  cropping: sides2DSchema.optional(),
  dataFormat: channelsLastSchema,
}).strict();
/** Arguments of `Cropping2D` as written in a model definition. */
export type Cropping2DConfig = z.input<typeof cropping2DSchema>;

/** Cropping of the spatial axes of a channels-last input (every per-sample axis but the last). */
abstract class Cropping extends SampleMapLayer {
  /** [before, after] per spatial axis. */
  abstract readonly cropping: readonly Sides[];

  computeOutputShape(inputShape: Shape): Shape {
    const spatial = this.cropping.length;
    if (inputShape.length !== spatial + 1) {
      const axes = spatial === 1 ? '(batch, steps, features)' : '(batch, rows, cols, channels)';
      throw inputShapeError(this, `expects an input of rank ${spatial + 2} ${axes}`, inputShape);
    }
    return inputShape.map((d, k) => {
      if (k >= spatial) return d;
      const [before, after] = this.cropping[k]!;
      // Keras rejects crops that leave nothing, as an empty axis would break every following layer.
      if (before + after >= d) {
        throw inputShapeError(this, `cropping [${before}, ${after}] removes all ${d} entries of axis ${k + 1}`, inputShape);
      }
      return d - before - after;
    });
  }

  protected sampleMap(inputShape: Shape, outputShape: Shape): SampleMap {
    return shiftedMap(inputShape, outputShape, this.cropping.map((s) => -s[0]));
  }
}

/** Keras `Cropping1D`: removes steps at the start and end of a (batch, steps, features) input. */
export class Cropping1D extends Cropping {
  readonly className = 'Cropping1D';
  readonly cropping: readonly Sides[];

  constructor(config: Omit<Cropping1DConfig, 'type'> = {}) {
    const parsed = parseConfig(cropping1DSchema, { ...config, type: 'Cropping1D' });
    super(parsed);
    this.cropping = [toSides(parsed.cropping ?? 1)];
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), cropping: [...this.cropping[0]!] };
  }
}

/** Keras `Cropping2D`: removes rows and columns at the edges of a (batch, rows, cols, channels) input. */
export class Cropping2D extends Cropping {
  readonly className = 'Cropping2D';
  readonly cropping: readonly Sides[];

  constructor(config: Omit<Cropping2DConfig, 'type'> = {}) {
    const parsed = parseConfig(cropping2DSchema, { ...config, type: 'Cropping2D' });
    super(parsed);
    this.cropping = toSides2D(parsed.cropping ?? 0);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), cropping: this.cropping.map((s) => [...s]), dataFormat: 'channels_last' };
  }
}
