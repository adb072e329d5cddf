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

/** Strict config schema of the Keras `ZeroPadding1D` layer. */
export const zeroPadding1DSchema = baseLayerSchema.extend({
  type: z.literal('ZeroPadding1D'),
  /** Zeros added along the steps axis: an int (both ends) or [left, right]. Default 1. */
  padding: sidesSchema.optional(),
  dataFormat: channelsLastSchema,
}).strict();
/** Arguments of `ZeroPadding1D` as written in a model definition. */
export type ZeroPadding1DConfig = z.input<typeof zeroPadding1DSchema>;

/** Strict config schema of the Keras `ZeroPadding2D` layer. */
export const zeroPadding2DSchema = baseLayerSchema.extend({
  type: z.literal('ZeroPadding2D'),
  /** Zeros added: an int, [height, width] (symmetric) or [[top, bottom], [left, right]]. Default 1 on every side. */
  padding: sides2DSchema.optional(),
  dataFormat: channelsLastSchema,
}).strict();
/** Arguments of `ZeroPadding2D` as written in a model definition. */
export type ZeroPadding2DConfig = z.input<typeof zeroPadding2DSchema>;

/** Zero padding of the spatial axes of a channels-last input (every per-sample axis but the last). */
abstract class ZeroPadding extends SampleMapLayer {
  /** [before, after] per spatial axis. */
  abstract readonly padding: readonly Sides[];

  computeOutputShape(inputShape: Shape): Shape {
    const spatial = this.padding.length;
    if (inputShape.length !== spatial + 1) {
      const axes = spatial === 1 ? '(batch, steps, features)' : '(batch, rows, cols, channels)';
      throw inputShapeError(this, `expects an input of rank ${spatial + 2} ${axes}`, inputShape);
    }
    return inputShape.map((d, k) => (k < spatial ? d + this.padding[k]![0] + this.padding[k]![1] : d));
  }

  protected sampleMap(inputShape: Shape, outputShape: Shape): SampleMap {
    return shiftedMap(inputShape, outputShape, this.padding.map((s) => s[0]));
  }
}

/** Keras `ZeroPadding1D`: adds zero steps at the start and end of a (batch, steps, features) input. */
export class ZeroPadding1D extends ZeroPadding {
  readonly className = 'ZeroPadding1D';
  readonly padding: readonly Sides[];

  constructor(config: Omit<ZeroPadding1DConfig, 'type'> = {}) {
    const parsed = parseConfig(zeroPadding1DSchema, { ...config, type: 'ZeroPadding1D' });
    super(parsed);
    this.padding = [toSides(parsed.padding ?? 1)];
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), padding: [...this.padding[0]!], dataFormat: 'channels_last' };
  }
}

/** Keras `ZeroPadding2D`: adds rows and columns of zeros around a (batch, rows, cols, channels) input. */
export class ZeroPadding2D extends ZeroPadding {
  readonly className = 'ZeroPadding2D';
  readonly padding: readonly Sides[];

  constructor(config: Omit<ZeroPadding2DConfig, 'type'> = {}) {
    const parsed = parseConfig(zeroPadding2DSchema, { ...config, type: 'ZeroPadding2D' });
    super(parsed);
    this.padding = toSides2D(parsed.padding ?? 1);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), padding: this.padding.map((s) => [...s]), dataFormat: 'channels_last' };
  }
}
