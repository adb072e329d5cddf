import type { Rng } from '../rng.js';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { type Shape, shapeSize } from '../tensor.js';
import type { Initializer, InitializerConfig } from './initializer.js';

export const zerosSchema = z.object({ type: z.literal('Zeros') }).strict();
export const onesSchema = z.object({ type: z.literal('Ones') }).strict();
export const constantSchema = z.object({ type: z.literal('Constant'), value: z.number().optional() }).strict();

/** Keras `Zeros`: every value 0. */
export class Zeros implements Initializer {
  readonly name = 'Zeros';
  constructor(args: Omit<z.input<typeof zerosSchema>, 'type'> = {}) {
    parseConfig(zerosSchema, { ...args, type: 'Zeros' });
  }
  init(shape: Shape, _rng?: Rng): Float64Array {
    return new Float64Array(shapeSize(shape));
  }
  getConfig(): InitializerConfig {
    return { type: 'Zeros' };
  }
}

/** Keras `Ones`: every value 1. */
export class Ones implements Initializer {
  readonly name = 'Ones';
  constructor(args: Omit<z.input<typeof onesSchema>, 'type'> = {}) {
    parseConfig(onesSchema, { ...args, type: 'Ones' });
  }
  init(shape: Shape, _rng?: Rng): Float64Array {
    return new Float64Array(shapeSize(shape)).fill(1);
  }
  getConfig(): InitializerConfig {
    return { type: 'Ones' };
  }
}

/** Keras `Constant(value=0.0)`: every value `value`. */
export class Constant implements Initializer {
  readonly name = 'Constant';
  readonly value: number;
  constructor(args: Omit<z.input<typeof constantSchema>, 'type'> = {}) {
    this.value = parseConfig(constantSchema, { ...args, type: 'Constant' }).value ?? 0;
  }
  init(shape: Shape, _rng?: Rng): Float64Array {
    return new Float64Array(shapeSize(shape)).fill(this.value);
  }
  getConfig(): InitializerConfig {
    return { type: 'Constant', value: this.value };
  }
}
