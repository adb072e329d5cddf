import { z } from 'zod';
import { parseConfig, positiveInt } from '../../config.js';
import { baseLayerSchema } from '../layer.js';
import { Conv } from './conv.js';
import { causalPaddingSchema, convOutputArgs, dataFormatSchema, kernelArgs, refineGroups, refineStridesWithDilation, tupleArg } from './conv-args.js';

/** Config of Conv1D (Keras 3 arguments, camelCase). */
export const conv1dSchema = baseLayerSchema.extend({
  type: z.literal('Conv1D'),
  /** Number of output channels. */
  filters: positiveInt,
  /** Window length (an integer or a 1-tuple). */
  kernelSize: tupleArg(1),
  /** Step between windows (default 1). */
  strides: tupleArg(1).optional(),
  /** "valid" (default), "same" or "causal" (output t depends only on inputs up to t). */
  padding: causalPaddingSchema.optional(),
  dataFormat: dataFormatSchema,
  /** Spacing between kernel taps (default 1). */
  dilationRate: tupleArg(1).optional(),
  /** Independent channel groups; input channels and filters must both be divisible by it (default 1). */
  groups: positiveInt.optional(),
  ...convOutputArgs,
  ...kernelArgs,
}).strict().superRefine(refineStridesWithDilation).superRefine(refineGroups);
/** Conv1D config as written by users. */
export type Conv1DConfig = z.input<typeof conv1dSchema>;

/** 1-D convolution over [batch, steps, channels]: kernel [kernelSize, in/groups, filters], bias [filters]. */
export class Conv1D extends Conv {
  readonly className = 'Conv1D';

  constructor(config: Omit<Conv1DConfig, 'type'>) {
    super(parseConfig(conv1dSchema, { ...config, type: 'Conv1D' }), 1);
  }
}
