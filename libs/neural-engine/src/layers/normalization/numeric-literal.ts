import { z } from 'zod';
import type { Shape } from '../../tensor.js';
import { broadcastIndex } from '../broadcast.js';

/** A number or a nested list of numbers up to rank 3 (a NumPy-style array literal in a config). */
export const numericLiteralSchema = z.union([
  z.number().finite(),
  z.array(z.number().finite()),
  z.array(z.array(z.number().finite())),
  z.array(z.array(z.array(z.number().finite()))),
]);
/** A value of numericLiteralSchema. */
export type NumericLiteral = z.infer<typeof numericLiteralSchema>;

/** An array literal's shape and row-major values. */
export interface ShapedValues {
  shape: number[];
  values: number[];
}

/** Shape and values of a literal, or a problem description when its rows are ragged. */
export function shapedValues(v: NumericLiteral): ShapedValues | string {
  if (typeof v === 'number') return { shape: [], values: [v] };
  const parts = (v as NumericLiteral[]).map((item) => shapedValues(item));
  const bad = parts.find((p) => typeof p === 'string');
  if (bad !== undefined) return bad;
  const shaped = parts as ShapedValues[];
  const first = shaped[0]?.shape ?? [];
  if (shaped.some((p) => p.shape.length !== first.length || p.shape.some((d, k) => d !== first[k]))) return 'rows have different lengths';
  return { shape: [v.length, ...first], values: shaped.flatMap((p) => p.values) };
}

/**
 * Broadcasts values onto `target` as Keras does for Normalization's mean and variance: the value's dimensions align
 * with the target's from the right, each equal or 1. Returns a problem description when they do not.
 */
export function broadcastValues(v: ShapedValues, target: Shape): Float64Array | string {
  if (v.shape.length > target.length) return `rank ${v.shape.length} exceeds the ${target.length} kept axes`;
  const expanded = target.map((_, k) => {
    const j = k - (target.length - v.shape.length);
    return j >= 0 ? v.shape[j]! : 1;
  });
  if (expanded.some((d, k) => d !== 1 && d !== target[k])) return `shape [${v.shape.join(', ')}] does not broadcast to [${target.join(', ')}]`;
  const index = broadcastIndex(target, expanded);
  return Float64Array.from(index, (j) => v.values[j]!);
}
