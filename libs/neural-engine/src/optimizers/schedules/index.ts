import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { unknownTypeError } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';
import { CosineDecayRestarts, cosineDecayRestartsSchema } from './cosine-decay-restarts.js';
import { CosineDecay, cosineDecaySchema } from './cosine-decay.js';
import { ExponentialDecay, exponentialDecaySchema } from './exponential-decay.js';
import { InverseTimeDecay, inverseTimeDecaySchema } from './inverse-time-decay.js';
import { PiecewiseConstantDecay, piecewiseConstantDecaySchema } from './piecewise-constant-decay.js';
import { PolynomialDecay, polynomialDecaySchema } from './polynomial-decay.js';

export { CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay };
export type { CosineDecayConfig } from './cosine-decay.js';
export type { CosineDecayRestartsConfig } from './cosine-decay-restarts.js';
export type { ExponentialDecayConfig } from './exponential-decay.js';
export type { InverseTimeDecayConfig } from './inverse-time-decay.js';
export type { PiecewiseConstantDecayConfig } from './piecewise-constant-decay.js';
export type { PolynomialDecayConfig } from './polynomial-decay.js';

const scheduleObjects = [
  exponentialDecaySchema,
  piecewiseConstantDecaySchema,
  polynomialDecaySchema,
  inverseTimeDecaySchema,
  cosineDecaySchema,
  cosineDecayRestartsSchema,
] as const;

const scheduleTypes = ['ExponentialDecay', 'PiecewiseConstantDecay', 'PolynomialDecay', 'InverseTimeDecay', 'CosineDecay', 'CosineDecayRestarts'];

const scheduleUnion = z.discriminatedUnion('type', [...scheduleObjects], {
  error: unknownTypeError('learning-rate schedule', scheduleTypes),
});

/** A learning-rate schedule config: `{type: "<Keras schedule class>", ...camelCaseArgs}`, strict. */
export const scheduleSchema: z.ZodType<ScheduleConfig> = scheduleUnion;

/** Validates a schedule config (ConfigError naming path and value) and returns the schedule; schedules pass through. */
export function getSchedule(config: ScheduleConfig | LearningRateSchedule): LearningRateSchedule {
  if (isSchedule(config)) return config;
  const c = parseConfig(scheduleUnion, config);
  switch (c.type) {
    case 'ExponentialDecay':
      return new ExponentialDecay(c);
    case 'PiecewiseConstantDecay':
      return new PiecewiseConstantDecay(c);
    case 'PolynomialDecay':
      return new PolynomialDecay(c);
    case 'InverseTimeDecay':
      return new InverseTimeDecay(c);
    case 'CosineDecay':
      return new CosineDecay(c);
    case 'CosineDecayRestarts':
      return new CosineDecayRestarts(c);
  }
}

/** True for an already constructed schedule (an object with `at` and `getConfig` methods). */
export function isSchedule(value: unknown): value is LearningRateSchedule {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { at?: unknown; getConfig?: unknown };
  return typeof v.at === 'function' && typeof v.getConfig === 'function';
}
