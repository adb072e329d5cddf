import type { Backend } from '../backend/backend.js';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import type { Constraint, ConstraintConfig } from './constraint.js';

export const nonNegSchema = z.object({ type: z.literal('NonNeg') }).strict();

/** Keras `NonNeg`: negative values become 0 (w · (w >= 0)). */
export class NonNeg implements Constraint {
  readonly name = 'NonNeg';
  constructor(args: Omit<z.input<typeof nonNegSchema>, 'type'> = {}) {
    parseConfig(nonNegSchema, { ...args, type: 'NonNeg' });
  }
  apply(w: Tensor, _backend?: Backend): void {
    const data = w.data;
    // `v < 0` leaves NaN untouched, where Keras's w·(w >= 0) would give NaN·0 = NaN as well.
    for (let i = 0; i < data.length; i++) if (data[i]! < 0) data[i] = 0;
  }
  getConfig(): ConstraintConfig {
    return { type: 'NonNeg' };
  }
}
