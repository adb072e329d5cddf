import { z } from 'zod';
import { parseConfig, seedSchema } from '../config.js';
import { normalizeIdentifier } from '../identifiers.js';
import type { Rng } from '../rng.js';
import { type Shape, shapeSize } from '../tensor.js';
import { type Initializer, type InitializerConfig, computeFans } from './initializer.js';
import { randomSource } from './random-source.js';

/** Which fan the variance is scaled by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** Distribution of VarianceScaling samples (Keras also accepts `normal`, meaning `truncated_normal`). */
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly ScalingDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];

/**
 * Stddev of a unit normal truncated to [-2, 2]: Keras divides by it so that truncated samples have the intended
 * variance.
 */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

/** Canonical fan mode of any spelling (`fan_in`, `fanIn`), or undefined. */
function canonicalMode(mode: string): FanMode | undefined {
  return MODES.find((m) => normalizeIdentifier(m) === normalizeIdentifier(mode));
}

/** Canonical distribution of any spelling; `normal` means `truncated_normal` as in Keras. */
function canonicalDistribution(distribution: string): ScalingDistribution | undefined {
  const key = normalizeIdentifier(distribution);
  if (key === 'normal') return 'truncated_normal';
  return DISTRIBUTIONS.find((d) => normalizeIdentifier(d) === key);
}

export const varianceScalingSchema = z.object({
  type: z.literal('VarianceScaling'),
  scale: z.number().finite().positive().optional(),
  mode: z.string().refine((m) => canonicalMode(m) !== undefined, { error: `expected one of ${MODES.join(', ')}` }).optional(),
  distribution: z.string().refine((d) => canonicalDistribution(d) !== undefined, {
    error: `expected one of ${DISTRIBUTIONS.join(', ')} (or normal)`,
  }).optional(),
  seed: seedSchema,
}).strict();

/** Arguments of VarianceScaling, as in Keras. */
export interface VarianceScalingArgs {
  scale?: number;
  mode?: string;
  distribution?: string;
  seed?: number | null;
}

/**
 * Keras `VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None)`: samples with
 * variance scale / n, n the fan chosen by `mode` (at least 1).
 */
export class VarianceScaling implements Initializer {
  readonly name: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  readonly seed: number | null;

  constructor(args: VarianceScalingArgs = {}) {
    const c = parseConfig(varianceScalingSchema, { ...args, type: 'VarianceScaling' });
    this.scale = c.scale ?? 1;
    this.mode = canonicalMode(c.mode ?? 'fan_in')!;
    this.distribution = canonicalDistribution(c.distribution ?? 'truncated_normal')!;
    this.seed = c.seed ?? null;
  }

  /** The variance scale / max(1, fan) for a weight of `shape`. */
  variance(shape: Shape): number {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    return this.scale / Math.max(1, fan);
  }

  init(shape: Shape, rng: Rng): Float64Array {
    const variance = this.variance(shape);
    const source = randomSource(this.seed, rng);
    const out = new Float64Array(shapeSize(shape));
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      for (let i = 0; i < out.length; i++) out[i] = source.uniformRange(-limit, limit);
    } else if (this.distribution === 'truncated_normal') {
      const stddev = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
      for (let i = 0; i < out.length; i++) out[i] = source.truncatedNormal(0, stddev);
    } else {
      const stddev = Math.sqrt(variance);
      for (let i = 0; i < out.length; i++) out[i] = source.normal(0, stddev);
    }
    return out;
  }

  getConfig(): InitializerConfig {
    return { type: 'VarianceScaling', scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}
