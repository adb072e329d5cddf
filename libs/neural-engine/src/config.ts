import { z } from 'zod';
import { ConfigError, type ConfigIssue, describeValue, formatPath } from './errors.js';
import type { Registry } from './identifiers.js';

/**
 * Parses `value` with a zod schema, throwing one ConfigError whose message names each bad path and the value received
 * there: `layers[2].units: Too small: expected number to be >0 (received 0)`.
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, pathPrefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw configErrorFromZod(result.error, pathPrefix);
}

/** Converts a ZodError to a ConfigError (paths prefixed with `pathPrefix`). */
export function configErrorFromZod(error: z.ZodError, pathPrefix: readonly PropertyKey[] = []): ConfigError {
  const issues: ConfigIssue[] = error.issues.map((issue) => {
    const path = formatPath([...pathPrefix, ...issue.path]);
    let received: unknown = (issue as { input?: unknown }).input;
    const discriminator = (issue as { discriminator?: string }).discriminator;
    if (discriminator && received && typeof received === 'object') received = (received as Record<string, unknown>)[discriminator];
    return received === undefined ? { path, message: issue.message } : { path, message: issue.message, received };
  });
  const lines = issues.map((i) => `${i.path || '(root)'}: ${i.message}${'received' in i ? ` (received ${describeValue(i.received)})` : ''}`);
  return new ConfigError(lines.join('; '), issues);
}

/** A string naming an entry of `registry` in any spelling (`glorot_uniform`, `glorotUniform`). */
export function identifierSchema(registry: Registry<unknown>): z.ZodType<string> {
  return z.string().refine((s) => registry.has(s), {
    error: (issue) => `unknown ${registry.kind} ${JSON.stringify(issue.input)}; expected one of ${registry.names().join(', ')}`,
  });
}

/** Common integer helpers for layer configs. */
export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().nonnegative();
/** A per-sample shape: positive integer dimensions, no batch axis. */
export const shapeSchema = z.array(positiveInt);
/** A rate in [0, 1). */
export const rateSchema = z.number().min(0).lt(1);
/** An optional seed: a non-negative integer or null. */
export const seedSchema = z.number().int().nonnegative().nullable().optional();
