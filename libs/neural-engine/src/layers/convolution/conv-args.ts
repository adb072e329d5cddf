import { z } from 'zod';
import { activationSchema } from '../../activations/index.js';
import { positiveInt } from '../../config.js';
import { constraintSchema } from '../../constraints/index.js';
import { initializerSchema } from '../../initializers/index.js';
import { regularizerSchema } from '../../regularizers/index.js';

/*
 * Config pieces the convolution and pooling layers share, spelled as Keras 3 / TensorFlow.js name them.
 */

/** An integer or a tuple of `rank` integers (Keras standardize_tuple): kernelSize, strides, dilationRate, poolSize. */
export function tupleArg(rank: 1 | 2): z.ZodUnion<[typeof positiveInt, z.ZodArray<typeof positiveInt>]> {
  return z.union([positiveInt, z.array(positiveInt).length(rank)]);
}

/** Expands an integer-or-tuple argument to a tuple of `rank` integers. */
export function toTuple<R extends 1 | 2>(value: number | readonly number[], rank: R): R extends 1 ? [number] : [number, number] {
  const tuple = typeof value === 'number' ? Array.from({ length: rank }, () => value) : [...value];
  return tuple as R extends 1 ? [number] : [number, number];
}

/** Only channels_last: the engine stores tensors channels-last and has no transpose to offer channels_first. */
export const dataFormatSchema = z
  .literal('channels_last', { error: 'only "channels_last" is supported (the engine stores tensors channels-last)' })
  .nullable()
  .optional();

/** "valid" or "same" (TensorFlow's rule: extra padding goes after). */
export const paddingSchema = z.enum(['valid', 'same']);
/** Conv1D also accepts "causal": all padding before the sequence, so output t never sees inputs after t. */
export const causalPaddingSchema = z.enum(['valid', 'same', 'causal']);

/** Arguments every convolution shares after its kernel: activation, bias and activity regularizer. */
export const convOutputArgs = {
  /** Applied to the convolution plus bias; linear when absent. */
  activation: activationSchema.nullable().optional(),
  /** Whether to add a bias per filter (default true). */
  useBias: z.boolean().optional(),
  biasInitializer: initializerSchema.optional(),
  biasRegularizer: regularizerSchema.nullable().optional(),
  biasConstraint: constraintSchema.nullable().optional(),
  activityRegularizer: regularizerSchema.nullable().optional(),
};

/** Kernel initializer, regularizer and constraint of Conv1D/Conv2D/Conv2DTranspose. */
export const kernelArgs = {
  kernelInitializer: initializerSchema.optional(),
  kernelRegularizer: regularizerSchema.nullable().optional(),
  kernelConstraint: constraintSchema.nullable().optional(),
};

/** Keras rejects strides > 1 together with dilation_rate > 1 (base_conv.py); so do we, at `dilationRate`. */
export function refineStridesWithDilation(
  value: { strides?: number | number[] | undefined; dilationRate?: number | number[] | undefined },
  ctx: z.RefinementCtx,
): void {
  const max = (v: number | number[] | undefined): number => (v === undefined ? 1 : typeof v === 'number' ? v : Math.max(...v));
  if (max(value.strides) > 1 && max(value.dilationRate) > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['dilationRate'],
      input: value.dilationRate,
      message: `strides > 1 not supported in conjunction with dilationRate > 1 (strides ${JSON.stringify(value.strides)})`,
    });
  }
}

/** Copies the set optional arguments (regularizers, constraints) into a config being serialized. */
export function copyDefined(target: Record<string, unknown>, source: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (source[key] != null) target[key] = source[key];
}

/** Keras: filters must be divisible by groups. */
export function refineGroups(value: { filters: number; groups?: number | undefined }, ctx: z.RefinementCtx): void {
  if (value.groups !== undefined && value.filters % value.groups !== 0) {
    ctx.addIssue({ code: 'custom', path: ['groups'], input: value.groups, message: `filters (${value.filters}) must be divisible by groups` });
  }
}
