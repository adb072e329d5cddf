import { z } from 'zod';
import { parseConfig, seedSchema } from '../config.js';
import type { Rng } from '../rng.js';
import { type Shape, shapeSize } from '../tensor.js';
import type { Initializer, InitializerConfig } from './initializer.js';
import { randomSource } from './random-source.js';

const finite = z.number().finite();

export const randomNormalSchema = z.object({
  type: z.literal('RandomNormal'),
  mean: finite.optional(),
  stddev: finite.nonnegative().optional(),
  seed: seedSchema,
}).strict();

export const truncatedNormalSchema = z.object({
  type: z.literal('TruncatedNormal'),
  mean: finite.optional(),
  stddev: finite.nonnegative().optional(),
  seed: seedSchema,
}).strict();

export const randomUniformSchema = z.object({
  type: z.literal('RandomUniform'),
  minval: finite.optional(),
  maxval: finite.optional(),
  seed: seedSchema,
}).strict().refine((c) => (c.minval ?? -0.05) <= (c.maxval ?? 0.05), {
  path: ['maxval'],
  error: (issue) => `maxval must be >= minval (${String((issue.input as { minval?: number }).minval ?? -0.05)})`,
});

/** Keras `RandomNormal(mean=0.0, stddev=0.05, seed=None)`. */
export class RandomNormal implements Initializer {
  readonly name = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(args: Omit<z.input<typeof randomNormalSchema>, 'type'> = {}) {
    const c = parseConfig(randomNormalSchema, { ...args, type: 'RandomNormal' });
    this.mean = c.mean ?? 0;
    this.stddev = c.stddev ?? 0.05;
    this.seed = c.seed ?? null;
  }
  init(shape: Shape, rng: Rng): Float64Array {
    const source = randomSource(this.seed, rng);
    const out = new Float64Array(shapeSize(shape));
    for (let i = 0; i < out.length; i++) out[i] = source.normal(this.mean, this.stddev);
    return out;
  }
  getConfig(): InitializerConfig {
    return { type: 'RandomNormal', mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Keras `TruncatedNormal(mean=0.0, stddev=0.05, seed=None)`: normal samples beyond 2 stddev are redrawn. */
export class TruncatedNormal implements Initializer {
  readonly name = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(args: Omit<z.input<typeof truncatedNormalSchema>, 'type'> = {}) {
    const c = parseConfig(truncatedNormalSchema, { ...args, type: 'TruncatedNormal' });
    this.mean = c.mean ?? 0;
    this.stddev = c.stddev ?? 0.05;
    this.seed = c.seed ?? null;
  }
  init(shape: Shape, rng: Rng): Float64Array {
    const source = randomSource(this.seed, rng);
    const out = new Float64Array(shapeSize(shape));
    for (let i = 0; i < out.length; i++) out[i] = source.truncatedNormal(this.mean, this.stddev);
    return out;
  }
  getConfig(): InitializerConfig {
    return { type: 'TruncatedNormal', mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Keras `RandomUniform(minval=-0.05, maxval=0.05, seed=None)`: uniform in [minval, maxval). */
export class RandomUniform implements Initializer {
  readonly name = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | null;
  constructor(args: Omit<z.input<typeof randomUniformSchema>, 'type'> = {}) {
    const c = parseConfig(randomUniformSchema, { ...args, type: 'RandomUniform' });
    this.minval = c.minval ?? -0.05;
    this.maxval = c.maxval ?? 0.05;
    this.seed = c.seed ?? null;
  }
  init(shape: Shape, rng: Rng): Float64Array {
    const source = randomSource(this.seed, rng);
    const out = new Float64Array(shapeSize(shape));
    for (let i = 0; i < out.length; i++) out[i] = source.uniformRange(this.minval, this.maxval);
    return out;
  }
  getConfig(): InitializerConfig {
    return { type: 'RandomUniform', minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}
