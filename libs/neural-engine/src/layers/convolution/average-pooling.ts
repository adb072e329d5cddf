import type { z } from 'zod';
import { parseConfig } from '../../config.js';
import { Pooling, poolingShape } from './pooling.js';

/** Config of AveragePooling1D. */
export const averagePooling1dSchema = poolingShape('AveragePooling1D', 1);
/** AveragePooling1D config as written by users. */
export type AveragePooling1DConfig = z.input<typeof averagePooling1dSchema>;

/** Mean over windows of steps, per channel; "same" windows average only their real elements (TF). */
export class AveragePooling1D extends Pooling {
  readonly className = 'AveragePooling1D';
  constructor(config: Omit<AveragePooling1DConfig, 'type'> = {}) {
    super(parseConfig(averagePooling1dSchema, { ...config, type: 'AveragePooling1D' }), 1, 'avg');
  }
}

/** Config of AveragePooling2D. */
export const averagePooling2dSchema = poolingShape('AveragePooling2D', 2);
/** AveragePooling2D config as written by users. */
export type AveragePooling2DConfig = z.input<typeof averagePooling2dSchema>;

/** Mean over spatial windows, per channel; "same" windows average only their real elements (TF). */
export class AveragePooling2D extends Pooling {
  readonly className = 'AveragePooling2D';
  constructor(config: Omit<AveragePooling2DConfig, 'type'> = {}) {
    super(parseConfig(averagePooling2dSchema, { ...config, type: 'AveragePooling2D' }), 2, 'avg');
  }
}
