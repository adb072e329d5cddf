import { z } from 'zod';
import { parseConfig, seedSchema } from '../config.js';
import type { InitializerConfig } from './initializer.js';
import { type FanMode, type ScalingDistribution, VarianceScaling } from './variance-scaling.js';

/** Schema of a preset's config: only a seed, as in Keras. */
function presetSchema<T extends string>(type: T) {
  return z.object({ type: z.literal(type), seed: seedSchema }).strict();
}

export const glorotNormalSchema = presetSchema('GlorotNormal');
export const glorotUniformSchema = presetSchema('GlorotUniform');
export const heNormalSchema = presetSchema('HeNormal');
export const heUniformSchema = presetSchema('HeUniform');
export const lecunNormalSchema = presetSchema('LecunNormal');
export const lecunUniformSchema = presetSchema('LecunUniform');

/** Arguments of every preset: an optional seed. */
export interface PresetArgs {
  seed?: number | null;
}

/** A VarianceScaling with fixed scale, mode and distribution whose config carries only the seed (Keras presets). */
abstract class VarianceScalingPreset extends VarianceScaling {
  constructor(
    override readonly name: string,
    schema: ReturnType<typeof presetSchema>,
    args: PresetArgs,
    scale: number,
    mode: FanMode,
    distribution: ScalingDistribution,
  ) {
    const { seed } = parseConfig(schema, { ...args, type: name });
    super({ scale, mode, distribution, seed: seed ?? null });
  }

  override getConfig(): InitializerConfig {
    return { type: this.name, seed: this.seed };
  }
}

/** Keras `GlorotNormal`: truncated normal, variance 2 / (fanIn + fanOut). */
export class GlorotNormal extends VarianceScalingPreset {
  constructor(args: PresetArgs = {}) {
    super('GlorotNormal', glorotNormalSchema, args, 1, 'fan_avg', 'truncated_normal');
  }
}

/** Keras `GlorotUniform`: uniform in ±sqrt(6 / (fanIn + fanOut)). */
export class GlorotUniform extends VarianceScalingPreset {
  constructor(args: PresetArgs = {}) {
    super('GlorotUniform', glorotUniformSchema, args, 1, 'fan_avg', 'uniform');
  }
}

/** Keras `HeNormal`: truncated normal, variance 2 / fanIn. */
export class HeNormal extends VarianceScalingPreset {
  constructor(args: PresetArgs = {}) {
    super('HeNormal', heNormalSchema, args, 2, 'fan_in', 'truncated_normal');
  }
}

/** Keras `HeUniform`: uniform in ±sqrt(6 / fanIn). */
export class HeUniform extends VarianceScalingPreset {
  constructor(args: PresetArgs = {}) {
    super('HeUniform', heUniformSchema, args, 2, 'fan_in', 'uniform');
  }
}

/** Keras `LecunNormal`: truncated normal, variance 1 / fanIn. */
export class LecunNormal extends VarianceScalingPreset {
  constructor(args: PresetArgs = {}) {
    super('LecunNormal', lecunNormalSchema, args, 1, 'fan_in', 'truncated_normal');
  }
}

/** Keras `LecunUniform`: uniform in ±sqrt(3 / fanIn). */
export class LecunUniform extends VarianceScalingPreset {
  constructor(args: PresetArgs = {}) {
    super('LecunUniform', lecunUniformSchema, args, 1, 'fan_in', 'uniform');
  }
}
