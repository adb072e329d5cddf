import { z } from 'zod';
import type { Shape } from '../../tensor.js';
import { broadcastIndex } from '../broadcast.js';
import { normalizeAxis } from '../layer-errors.js';

/** A Keras axis argument: one axis or a list, counting the batch axis as 0 (negative counts from the end). */
export const axisListSchema = z.union([z.number().int(), z.array(z.number().int()).min(1)]);

/**
 * Resolves Keras axes for a per-sample input shape to distinct per-sample axes (0 = first axis after the batch), in the
 * order given. Returns a problem description instead when an axis is out of range, the batch axis, or repeated.
 */
export function resolveSampleAxes(axes: readonly number[], sampleShape: Shape): number[] | string {
  const rank = sampleShape.length + 1;
  const out: number[] = [];
  for (const axis of axes) {
    const a = normalizeAxis(axis, rank);
    if (a === undefined) return `axis ${axis} is out of range for inputs of rank ${rank}`;
    // The batch size is unknown when the layer is built, so no statistic or weight can span it.
    if (a === 0) return `axis ${axis} is the batch axis`;
    if (out.includes(a - 1)) return `axis ${axis} is repeated`;
    out.push(a - 1);
  }
  return out;
}

/** The sample shape with every axis not in `kept` set to 1 (the broadcast shape of per-axis parameters). */
export function keptShape(sampleShape: Shape, kept: readonly number[]): number[] {
  return sampleShape.map((d, k) => (kept.includes(k) ? d : 1));
}

/** For each element of one sample, the flat index of its entry in a parameter spanning the `kept` axes. */
export function keptIndex(sampleShape: Shape, kept: readonly number[]): Int32Array {
  return broadcastIndex(sampleShape, keptShape(sampleShape, kept));
}

/** The sizes of the `kept` axes, in order: the shape of a parameter spanning them. */
export function keptDims(sampleShape: Shape, kept: readonly number[]): number[] {
  return kept.map((k) => sampleShape[k]!);
}
