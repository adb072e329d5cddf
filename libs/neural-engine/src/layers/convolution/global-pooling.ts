import type { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { Tensor } from '../../tensor.js';
import { GlobalPooling, globalPoolingShape } from './global-pooling-base.js';

/** Config of GlobalMaxPooling1D. */
export const globalMaxPooling1dSchema = globalPoolingShape('GlobalMaxPooling1D');
/** GlobalMaxPooling1D config as written by users. */
export type GlobalMaxPooling1DConfig = z.input<typeof globalMaxPooling1dSchema>;

/** Max over the steps, per channel: [batch, steps, c] → [batch, c]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling1D';
  constructor(config: Omit<GlobalMaxPooling1DConfig, 'type'> = {}) {
    super(parseConfig(globalMaxPooling1dSchema, { ...config, type: 'GlobalMaxPooling1D' }), 1, 'max');
  }
}

/** Config of GlobalMaxPooling2D. */
export const globalMaxPooling2dSchema = globalPoolingShape('GlobalMaxPooling2D');
/** GlobalMaxPooling2D config as written by users. */
export type GlobalMaxPooling2DConfig = z.input<typeof globalMaxPooling2dSchema>;

/** Max over height and width, per channel: [batch, h, w, c] → [batch, c]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling2D';
  constructor(config: Omit<GlobalMaxPooling2DConfig, 'type'> = {}) {
    super(parseConfig(globalMaxPooling2dSchema, { ...config, type: 'GlobalMaxPooling2D' }), 2, 'max');
  }
}

/** Config of GlobalAveragePooling2D. */
export const globalAveragePooling2dSchema = globalPoolingShape('GlobalAveragePooling2D');
/** GlobalAveragePooling2D config as written by users. */
export type GlobalAveragePooling2DConfig = z.input<typeof globalAveragePooling2dSchema>;

/** Mean over height and width, per channel: [batch, h, w, c] → [batch, c]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling2D';
  constructor(config: Omit<GlobalAveragePooling2DConfig, 'type'> = {}) {
    super(parseConfig(globalAveragePooling2dSchema, { ...config, type: 'GlobalAveragePooling2D' }), 2, 'avg');
  }
}

/** Config of GlobalAveragePooling1D. */
export const globalAveragePooling1dSchema = globalPoolingShape('GlobalAveragePooling1D');
/** GlobalAveragePooling1D config as written by users. */
export type GlobalAveragePooling1DConfig = z.input<typeof globalAveragePooling1dSchema>;

/**
 * Mean over the steps, per channel: [batch, steps, c] → [batch, c]. As in Keras it consumes a timestep mask: masked
 * steps are left out of the mean (and, unlike Keras's 0/0 = NaN, a fully masked sample averages to 0). The output
 * has no steps, so it carries no mask.
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling1D';
  override supportsMasking = true;
  private lastMask: Tensor | null = null;

  constructor(config: Omit<GlobalAveragePooling1DConfig, 'type'> = {}) {
    super(parseConfig(globalAveragePooling1dSchema, { ...config, type: 'GlobalAveragePooling1D' }), 1, 'avg');
  }

  override computeOutputMask(): Tensor | null {
    return null;
  }

  override forward(x: Tensor, training: boolean): Tensor {
    const mask = this.inputMask;
    this.lastMask = training ? mask : null;
    if (!mask) return super.forward(x, training);
    const b = this.backend;
    const [batch, steps, channels] = x.shape as [number, number, number];
    const y = b.zeros(this.outputShapeFor(batch, channels));
    const xd = x.data;
    const md = mask.data;
    const yd = y.data;
    for (let n = 0; n < batch; n++) {
      let count = 0;
      for (let t = 0; t < steps; t++) {
        const m = md[n * steps + t]!;
        if (m === 0) continue;
        count += m;
        for (let c = 0; c < channels; c++) yd[n * channels + c]! += m * xd[(n * steps + t) * channels + c]!;
      }
      const inv = count === 0 ? 0 : 1 / count;
      for (let c = 0; c < channels; c++) yd[n * channels + c]! *= inv;
    }
    this.geometry = training ? this.geometryFor(batch, [steps, channels]) : null;
    this.inShape = training ? x.shape : null;
    return y;
  }

  override backward(dy: Tensor): Tensor {
    const mask = this.lastMask;
    if (!mask) return super.backward(dy);
    const shape = this.inShape;
    if (!shape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const [batch, steps, channels] = shape as [number, number, number];
    const dx = this.backend.zeros(shape);
    const md = mask.data;
    const dyd = dy.data;
    const dxd = dx.data;
    for (let n = 0; n < batch; n++) {
      let count = 0;
      for (let t = 0; t < steps; t++) count += md[n * steps + t]!;
      if (count === 0) continue;
      for (let t = 0; t < steps; t++) {
        const w = md[n * steps + t]! / count;
        if (w === 0) continue;
        for (let c = 0; c < channels; c++) dxd[(n * steps + t) * channels + c] = w * dyd[n * channels + c]!;
      }
    }
    return dx;
  }
}
