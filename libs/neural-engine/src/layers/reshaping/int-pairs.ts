import { z } from 'zod';
import { nonNegativeInt, positiveInt } from '../../config.js';

/*
 * The integer-or-tuple arguments of the padding, cropping and up-sampling layers, in the forms Keras's
 * standardize_tuple accepts, and their normalization to explicit per-side or per-axis values.
 */

/** A [before, after] pair of non-negative integers. */
export const nonNegativePairSchema = z.tuple([nonNegativeInt, nonNegativeInt]);
/** One axis's amounts: an int (both sides) or [before, after]. */
export const sidesSchema = z.union([nonNegativeInt, nonNegativePairSchema]);
/** Two axes' amounts: an int (all four sides), [height, width] (symmetric) or [[top, bottom], [left, right]]. */
export const sides2DSchema = z.union([nonNegativeInt, nonNegativePairSchema, z.tuple([nonNegativePairSchema, nonNegativePairSchema])]);
/** Two positive factors: an int (both axes) or [height, width]. */
export const positivePairSchema = z.union([positiveInt, z.tuple([positiveInt, positiveInt])]);

/** [before, after] amounts along one axis. */
export type Sides = [before: number, after: number];

/** [before, after] of a one-axis argument. */
export function toSides(value: number | readonly [number, number]): Sides {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** [[top, bottom], [left, right]] of a two-axis argument. */
export function toSides2D(value: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]]): [Sides, Sides] {
  if (typeof value === 'number') return [[value, value], [value, value]];
  const [h, w] = value;
  if (typeof h === 'number' && typeof w === 'number') return [[h, h], [w, w]];
  return [toSides(h as readonly [number, number]), toSides(w as readonly [number, number])];
}

/** [height, width] factors of a two-axis size argument. */
export function toPair(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
