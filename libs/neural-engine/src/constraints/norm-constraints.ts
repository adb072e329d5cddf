import type { Backend } from '../backend/backend.js';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { EPSILON, axisNorms, axisSchema } from './axis-norms.js';
import type { Constraint, ConstraintConfig } from './constraint.js';

const nonNegative = z.number().finite().nonnegative();

export const maxNormSchema = z.object({
  type: z.literal('MaxNorm'),
  maxValue: nonNegative.optional(),
  axis: axisSchema.optional(),
}).strict();

export const minMaxNormSchema = z.object({
  type: z.literal('MinMaxNorm'),
  minValue: nonNegative.optional(),
  maxValue: nonNegative.optional(),
  rate: z.number().finite().min(0).max(1).optional(),
  axis: axisSchema.optional(),
}).strict().refine((c) => (c.minValue ?? 0) <= (c.maxValue ?? 1), {
  path: ['maxValue'],
  error: (issue) => `maxValue must be >= minValue (${String((issue.input as { minValue?: number }).minValue ?? 0)})`,
});

export const unitNormSchema = z.object({ type: z.literal('UnitNorm'), axis: axisSchema.optional() }).strict();

/** Copies an axis argument so configs never share arrays with the instance. */
function copyAxis(axis: number | readonly number[]): number | number[] {
  return typeof axis === 'number' ? axis : [...axis];
}

/** w ← w · desired(norm) / (epsilon + norm), norms taken over `axis` (the shared shape of Keras norm constraints). */
function rescale(w: Tensor, axis: number | readonly number[], owner: string, desired: (norm: number) => number): void {
  const { group, norms } = axisNorms(w.data, w.shape, axis, owner);
  const factors = norms.map((n) => desired(n) / (EPSILON + n));
  const data = w.data;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * factors[group[i]!]!;
}

/** Keras `MaxNorm(max_value=2, axis=0)`: rescales slices whose norm over `axis` exceeds maxValue. */
export class MaxNorm implements Constraint {
  readonly name = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | readonly number[];
  constructor(args: Omit<z.input<typeof maxNormSchema>, 'type'> = {}) {
    const c = parseConfig(maxNormSchema, { ...args, type: 'MaxNorm' });
    this.maxValue = c.maxValue ?? 2;
    this.axis = copyAxis(c.axis ?? 0);
  }
  apply(w: Tensor, _backend?: Backend): void {
    rescale(w, this.axis, this.name, (n) => Math.min(n, this.maxValue));
  }
  getConfig(): ConstraintConfig {
    return { type: 'MaxNorm', maxValue: this.maxValue, axis: copyAxis(this.axis) };
  }
}

/**
 * Keras `MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)`: moves each slice's norm towards
 * [minValue, maxValue] by `rate` (desired = rate·clip(norm) + (1 − rate)·norm).
 */
export class MinMaxNorm implements Constraint {
  readonly name = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | readonly number[];
  constructor(args: Omit<z.input<typeof minMaxNormSchema>, 'type'> = {}) {
    const c = parseConfig(minMaxNormSchema, { ...args, type: 'MinMaxNorm' });
    this.minValue = c.minValue ?? 0;
    this.maxValue = c.maxValue ?? 1;
    this.rate = c.rate ?? 1;
    this.axis = copyAxis(c.axis ?? 0);
  }
  apply(w: Tensor, _backend?: Backend): void {
    rescale(w, this.axis, this.name, (n) => {
      const clipped = Math.min(Math.max(n, this.minValue), this.maxValue);
      return this.rate * clipped + (1 - this.rate) * n;
    });
  }
  getConfig(): ConstraintConfig {
    return { type: 'MinMaxNorm', minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: copyAxis(this.axis) };
  }
}

/** Keras `UnitNorm(axis=0)`: divides each slice by its norm over `axis` (plus epsilon). */
export class UnitNorm implements Constraint {
  readonly name = 'UnitNorm';
  readonly axis: number | readonly number[];
  constructor(args: Omit<z.input<typeof unitNormSchema>, 'type'> = {}) {
    this.axis = copyAxis(parseConfig(unitNormSchema, { ...args, type: 'UnitNorm' }).axis ?? 0);
  }
  apply(w: Tensor, _backend?: Backend): void {
    rescale(w, this.axis, this.name, () => 1);
  }
  getConfig(): ConstraintConfig {
    return { type: 'UnitNorm', axis: copyAxis(this.axis) };
  }
}
