import { z } from 'zod';
import { type PaddingMode, type WindowGeometry, windowGeometry } from '../../kernels/window-geometry.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type BaseLayerConfig, type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import { inputShapeError } from '../layer-errors.js';
import { dataFormatSchema, paddingSchema, toTuple, tupleArg } from './conv-args.js';

/** Config fields of the 1-D and 2-D pooling layers (Keras 3: pool_size, strides=None → pool_size, padding="valid"). */
export function poolingShape<T extends string>(type: T, rank: 1 | 2) {
  return baseLayerSchema.extend({
    type: z.literal(type),
    /** Window size (default 2, or (2, 2)). */
    poolSize: tupleArg(rank).optional(),
    /** Step between windows; defaults to poolSize. */
    strides: tupleArg(rank).nullable().optional(),
    /** "valid" (default) or "same"; padding elements never take part in the max or the average. */
    padding: paddingSchema.optional(),
    dataFormat: dataFormatSchema,
  }).strict();
}

/** Parsed arguments of a pooling layer. */
export type PoolingArgs = BaseLayerConfig & {
  poolSize?: number | number[] | undefined;
  strides?: number | number[] | null | undefined;
  padding?: PaddingMode | undefined;
};

/** Keras base pooling over [batch, steps, c] (rank 1) or [batch, h, w, c] (rank 2), per channel. */
export abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  private geometry: WindowGeometry | null = null;
  private argmax: Int32Array | null = null;
  private inShape: Shape | null = null;

  constructor(args: PoolingArgs, readonly rank: 1 | 2, readonly mode: 'max' | 'avg') {
    super(args);
    this.poolSize = toTuple(args.poolSize ?? 2, rank);
    this.strides = args.strides == null ? [...this.poolSize] : toTuple(args.strides, rank);
    this.padding = args.padding === 'same' ? 'same' : 'valid';
  }

  private geometryFor(batch: number, inputShape: Shape): WindowGeometry {
    const as2d = (v: number[]): [number, number] => (this.rank === 1 ? [1, v[0]!] : [v[0]!, v[1]!]);
    const [h, w, c] = this.rank === 1 ? [1, inputShape[0]!, inputShape[1]!] : [inputShape[0]!, inputShape[1]!, inputShape[2]!];
    return windowGeometry([batch, h, w, c], as2d(this.poolSize), as2d(this.strides), [1, 1], this.padding);
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.rank + 1) {
      throw inputShapeError(this, `expected a per-sample input of rank ${this.rank + 1} (${this.rank === 1 ? 'steps, channels' : 'height, width, channels'})`, inputShape);
    }
    const g = this.geometryFor(1, inputShape);
    if (g.outH <= 0 || g.outW <= 0) throw inputShapeError(this, `the input is smaller than the pool ${JSON.stringify(this.poolSize)}`, inputShape);
    return this.rank === 1 ? [g.outW, g.channels] : [g.outH, g.outW, g.channels];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const g = this.geometryFor(x.shape[0]!, x.shape.slice(1));
    let y: Tensor;
    if (this.mode === 'max') {
      const { output, argmax } = b.maxPool(x, g);
      y = output;
      this.argmax = training ? argmax : null;
    } else {
      y = b.avgPool(x, g);
    }
    this.geometry = training ? g : null;
    this.inShape = training ? x.shape : null;
    const outShape = this.rank === 1 ? [g.batch, g.outW, g.channels] : [g.batch, g.outH, g.outW, g.channels];
    return b.reshape(y, outShape);
  }

  backward(dy: Tensor): Tensor {
    const b = this.backend;
    const g = this.geometry;
    if (!g || !this.inShape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dx = this.mode === 'max' ? b.maxPoolBackward(dy, this.argmax!, g) : b.avgPoolBackward(dy, g);
    return b.reshape(dx, this.inShape);
  }

  getConfig(): LayerConfig {
    return {
      ...this.baseConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channels_last',
    };
  }
}
