import { z } from 'zod';

/**
 * Keras `data_format` of the image and sequence layers. The engine stores tensors channels-last only, so
 * `channels_first` is rejected at config time rather than silently transposed; null or absent means channels_last,
 * as with Keras's default image_data_format.
 */
export const channelsLastSchema = z
  .enum(['channels_last', 'channels_first'])
  .nullable()
  .optional()
  .refine((v) => v !== 'channels_first', {
    error: 'channels_first is not supported: the engine is channels-last only (use "channels_last" and put channels on the last axis)',
  });
