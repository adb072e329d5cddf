import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import { baseLayerSchema } from '../layer.js';
import { Conv } from './conv.js';
import { convOutputArgs, dataFormatSchema, kernelArgs, paddingSchema, refineGroups, refineStridesWithDilation, tupleArg } from './conv-args.js';

/** Config of Conv2D (Keras 3 arguments, camelCase). */
export const conv2dSchema = baseLayerSchema.extend({
  type: z.literal('Conv2D'),
  /** Number of output channels. */
  filters: positiveInt,
  /** Window [height, width] (or one integer for both). */
  kernelSize: tupleArg(2),
  /** Steps between windows (default 1). */
  strides: tupleArg(2).optional(),
  /** "valid" (default) or "same". */
  padding: paddingSchema.optional(),
  dataFormat: dataFormatSchema,
  /** Spacing between kernel taps (default 1). */
  dilationRate: tupleArg(2).optional(),
  /** Independent channel groups; input channels and filters must both be divisible by it (default 1). */
  groups: positiveInt.optional(),
  ...convOutputArgs,
  ...kernelArgs,
}).strict().superRefine(refineStridesWithDilation).superRefine(refineGroups);
/** Conv2D config as written by users. */
export type Conv2DConfig = z.input<typeof conv2dSchema>;

/** 2-D convolution over [batch, height, width, channels]: kernel [kh, kw, in/groups, filters], bias [filters]. */
export class Conv2D extends Conv {
  readonly className = 'Conv2D';

  constructor(config: Omit<Conv2DConfig, 'type'>) {
    super(parseConfig(conv2dSchema, { ...config, type: 'Conv2D' }), 2);
  }
}
