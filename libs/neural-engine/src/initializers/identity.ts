import type { Rng } from '../rng.js';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { type Shape, formatShape } from '../tensor.js';
import type { Initializer, InitializerConfig } from './initializer.js';

export const identitySchema = z.object({ type: z.literal('Identity'), gain: z.number().finite().optional() }).strict();

/** Keras `Identity(gain=1.0)`: gain on the main diagonal of a 2-D weight (rectangular allowed), zeros elsewhere. */
export class Identity implements Initializer {
  readonly name = 'Identity';
  readonly gain: number;

  constructor(args: Omit<z.input<typeof identitySchema>, 'type'> = {}) {
    this.gain = parseConfig(identitySchema, { ...args, type: 'Identity' }).gain ?? 1;
  }

  init(shape: Shape, _rng?: Rng): Float64Array {
    if (shape.length !== 2) {
      throw new ConfigError(`Identity initializer needs a 2-D weight, received shape ${formatShape(shape, false)}`);
    }
    const [rows, cols] = shape as [number, number];
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = this.gain;
    return out;
  }

  getConfig(): InitializerConfig {
    return { type: 'Identity', gain: this.gain };
  }
}
