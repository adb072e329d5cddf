import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import type { Shape } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { bilinearAxis } from './bilinear-weights.js';
import { channelsLastSchema } from './data-format.js';
import { positivePairSchema, toPair } from './int-pairs.js';
import { type SampleMap, gatherMap, stridesOf } from './sample-map.js';
import { SampleMapLayer } from './sample-map-layer.js';

/** Strict config schema of the Keras `UpSampling1D` layer. */
export const upSampling1DSchema = baseLayerSchema.extend({
  type: z.literal('UpSampling1D'),
  /** How many times each step is repeated. Default 2. */
  size: positiveInt.optional(),
}).strict();
/** Arguments of `UpSampling1D` as written in a model definition. */
export type UpSampling1DConfig = z.input<typeof upSampling1DSchema>;

/** Strict config schema of the Keras `UpSampling2D` layer. */
export const upSampling2DSchema = baseLayerSchema.extend({
  type: z.literal('UpSampling2D'),
  /** Up-sampling factors for rows and columns: an int (both) or [rows, cols]. Default [2, 2]. */
  size: positivePairSchema.optional(),
  dataFormat: channelsLastSchema,
  /**
   * 'nearest' (default) repeats rows and columns; 'bilinear' interpolates with half-pixel centers as Keras 3 does.
   * Keras's other methods (bicubic, lanczos3, lanczos5) are not implemented and are rejected.
   */
  interpolation: z.enum(['nearest', 'bilinear']).optional(),
}).strict();
/** Arguments of `UpSampling2D` as written in a model definition. */
export type UpSampling2DConfig = z.input<typeof upSampling2DSchema>;

/** Keras `UpSampling1D`: (batch, steps, features) → (batch, steps·size, features), each step repeated `size` times. */
export class UpSampling1D extends SampleMapLayer {
  readonly className = 'UpSampling1D';
  readonly size: number;

  constructor(config: Omit<UpSampling1DConfig, 'type'> = {}) {
    const parsed = parseConfig(upSampling1DSchema, { ...config, type: 'UpSampling1D' });
    super(parsed);
    this.size = parsed.size ?? 2;
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 2) throw inputShapeError(this, 'expects an input of rank 3 (batch, steps, features)', inputShape);
    return [inputShape[0]! * this.size, inputShape[1]!];
  }

  protected sampleMap(inputShape: Shape, outputShape: Shape): SampleMap {
    const features = inputShape[1]!;
    return gatherMap(inputShape, outputShape, ([t, f]) => Math.floor(t! / this.size) * features + f!);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), size: this.size };
  }
}

/** Keras `UpSampling2D`: (batch, rows, cols, channels) → (batch, rows·size[0], cols·size[1], channels). */
export class UpSampling2D extends SampleMapLayer {
  readonly className = 'UpSampling2D';
  readonly size: readonly [number, number];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(config: Omit<UpSampling2DConfig, 'type'> = {}) {
    const parsed = parseConfig(upSampling2DSchema, { ...config, type: 'UpSampling2D' });
    super(parsed);
    this.size = toPair(parsed.size ?? 2);
    this.interpolation = parsed.interpolation ?? 'nearest';
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 3) throw inputShapeError(this, 'expects an input of rank 4 (batch, rows, cols, channels)', inputShape);
    return [inputShape[0]! * this.size[0], inputShape[1]! * this.size[1], inputShape[2]!];
  }

  protected sampleMap(inputShape: Shape, outputShape: Shape): SampleMap {
    const [sh, sw] = this.size;
    const strides = stridesOf(inputShape);
    if (this.interpolation === 'nearest') {
      return gatherMap(inputShape, outputShape, ([r, c, ch]) => Math.floor(r! / sh) * strides[0]! + Math.floor(c! / sw) * strides[1]! + ch!);
    }
    return bilinearMap(inputShape, outputShape);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), size: [...this.size], dataFormat: 'channels_last', interpolation: this.interpolation };
  }
}

/** The four-term map of bilinear resizing from (rows, cols, channels) to (outRows, outCols, channels). */
function bilinearMap(inputShape: Shape, outputShape: Shape): SampleMap {
  const [rows, cols, channels] = inputShape as [number, number, number];
  const [outRows, outCols] = outputShape as [number, number, number];
  const ry = bilinearAxis(rows, outRows);
  const rx = bilinearAxis(cols, outCols);
  const outSize = outRows * outCols * channels;
  const source = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  let k = 0;
  for (let r = 0; r < outRows; r++) {
    const fy = ry.frac[r]!;
    for (let c = 0; c < outCols; c++) {
      const fx = rx.frac[c]!;
      const corners: [number, number, number][] = [
        [ry.lower[r]!, rx.lower[c]!, (1 - fy) * (1 - fx)],
        [ry.lower[r]!, rx.upper[c]!, (1 - fy) * fx],
        [ry.upper[r]!, rx.lower[c]!, fy * (1 - fx)],
        [ry.upper[r]!, rx.upper[c]!, fy * fx],
      ];
      for (let ch = 0; ch < channels; ch++) {
        for (const [y, x, w] of corners) {
          source[k] = (y * cols + x) * channels + ch;
          weight[k++] = w;
        }
      }
    }
  }
  return { inSize: rows * cols * channels, outSize, terms: 4, source, weight };
}
