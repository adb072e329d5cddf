import { z } from 'zod';
import { type WindowGeometry, windowGeometry } from '../../kernels/window-geometry.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type BaseLayerConfig, type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import { inputShapeError } from '../layer-errors.js';
import { dataFormatSchema } from './conv-args.js';

/** Config schema of a global pooling layer (Keras 3: data_format, keepdims=False). */
export function globalPoolingShape<T extends string>(type: T) {
  return baseLayerSchema.extend({
    type: z.literal(type),
    dataFormat: dataFormatSchema,
    /** Keep the pooled axes with length 1 (default false). */
    keepdims: z.boolean().optional(),
  }).strict();
}

/** Parsed arguments of a global pooling layer. */
export type GlobalPoolingArgs = BaseLayerConfig & { keepdims?: boolean | undefined };

/**
 * Keras global pooling: max or mean over every spatial axis, per channel. It runs as one pooling window covering the
 * whole input, so it shares the backend's pooling kernels.
 */
export abstract class GlobalPooling extends Layer {
  readonly keepdims: boolean;
  protected geometry: WindowGeometry | null = null;
  private argmax: Int32Array | null = null;
  protected inShape: Shape | null = null;

  constructor(args: GlobalPoolingArgs, readonly rank: 1 | 2, readonly mode: 'max' | 'avg') {
    super(args);
    this.keepdims = args.keepdims ?? false;
  }

  protected geometryFor(batch: number, inputShape: Shape): WindowGeometry {
    const [h, w, c] = this.rank === 1 ? [1, inputShape[0]!, inputShape[1]!] : [inputShape[0]!, inputShape[1]!, inputShape[2]!];
    return windowGeometry([batch, h, w, c], [h, w], [1, 1], [1, 1], 'valid');
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.rank + 1) {
      throw inputShapeError(this, `expected a per-sample input of rank ${this.rank + 1} (${this.rank === 1 ? 'steps, channels' : 'height, width, channels'})`, inputShape);
    }
    const channels = inputShape[this.rank]!;
    return this.keepdims ? [...Array.from({ length: this.rank }, () => 1), channels] : [channels];
  }

  /** [batch, channels] or, with keepdims, [batch, 1(, 1), channels]. */
  protected outputShapeFor(batch: number, channels: number): Shape {
    return [batch, ...this.computeOutputShape([...Array.from({ length: this.rank }, () => 1), channels])];
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
    return b.reshape(y, this.outputShapeFor(g.batch, g.channels));
  }

  backward(dy: Tensor): Tensor {
    const b = this.backend;
    const g = this.geometry;
    if (!g || !this.inShape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const dx = this.mode === 'max' ? b.maxPoolBackward(dy, this.argmax!, g) : b.avgPoolBackward(dy, g);
    return b.reshape(dx, this.inShape);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), dataFormat: 'channels_last', keepdims: this.keepdims };
  }
}
