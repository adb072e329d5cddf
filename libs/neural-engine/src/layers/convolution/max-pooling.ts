import type { z } from 'zod';
import { parseConfig } from '../../config.js';
import { Pooling, poolingShape } from './pooling.js';

/** Config of MaxPooling1D. */
export const maxPooling1dSchema = poolingShape('MaxPooling1D', 1);
/** MaxPooling1D config as written by users. */
export type MaxPooling1DConfig = z.input<typeof maxPooling1dSchema>;

/** Max over windows of steps, per channel: [batch, steps, c] → [batch, outSteps, c]. */
export class MaxPooling1D extends Pooling {
  readonly className = 'MaxPooling1D';
  constructor(config: Omit<MaxPooling1DConfig, 'type'> = {}) {
    super(parseConfig(maxPooling1dSchema, { ...config, type: 'MaxPooling1D' }), 1, 'max');
  }
}

/** Config of MaxPooling2D. */
export const maxPooling2dSchema = poolingShape('MaxPooling2D', 2);
/** MaxPooling2D config as written by users. */
export type MaxPooling2DConfig = z.input<typeof maxPooling2dSchema>;

/** Max over spatial windows, per channel: [batch, h, w, c] → [batch, outH, outW, c]. */
export class MaxPooling2D extends Pooling {
  readonly className = 'MaxPooling2D';
  constructor(config: Omit<MaxPooling2DConfig, 'type'> = {}) {
    super(parseConfig(maxPooling2dSchema, { ...config, type: 'MaxPooling2D' }), 2, 'max');
  }
}
