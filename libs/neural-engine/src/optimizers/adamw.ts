import { z } from 'zod';
import { parseConfig } from '../config.js';
import { Adam, adamShape } from './adam.js';
import { optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative } from './config-schemas.js';

export const adamwSchema = optimizerObjectSchema('AdamW', {
  ...adamShape,
  /** Decoupled weight decay; required (not null) as in Keras, default 0.004. */
  weightDecay: nonNegative.optional(),
});
export type AdamWConfig = z.input<typeof adamwSchema>;

/** Adam with decoupled weight decay (Keras AdamW: weightDecay 0.004, applied by the shared step before the update). */
export class AdamW extends Adam {
  override readonly name = 'adamw';
  override readonly className = 'AdamW';

  constructor(config: Omit<AdamWConfig, 'type'> = {}) {
    const { type: _type, ...args } = parseConfig(adamwSchema, { ...config, type: 'AdamW' });
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 });
  }
}
