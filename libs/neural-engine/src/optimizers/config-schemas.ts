import { z } from 'zod';

/*
 * Schema helpers shared by optimizers and schedules. A config that may be a name or an object (or a number or an
 * object) is parsed by dispatching on the value's kind instead of a zod union, so a bad object reports the problem
 * inside it (`learningRate.decaySteps: Too small ...`) rather than a vague "Invalid input" from every union branch.
 */

/** A schema that picks the sub-schema for a value by its kind; `null` from `choose` means no form fits. */
export function dispatchSchema<T>(choose: (value: unknown) => z.ZodType<T> | null, expected: string): z.ZodType<T, T> {
  return z.unknown().transform((value, ctx): T => {
    const schema = choose(value);
    if (!schema) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}`, input: value });
      return z.NEVER;
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    // Forward the inner issues unchanged (paths relative to this value; zod prefixes the parent path).
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: (issue as { input?: unknown }).input } as (typeof ctx.issues)[number]);
    return z.NEVER;
  }) as unknown as z.ZodType<T, T>;
}

/** True for a plain object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The error of a `type`-discriminated union for an object whose type is missing or unknown, listing the known types
 * (`unknown optimizer type "Adamm"; expected one of Adam, SGD, ...`).
 */
export function unknownTypeError(kind: string, types: readonly string[]): (issue: { code?: string; input?: unknown }) => string | undefined {
  return (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const type = isPlainObject(issue.input) ? issue.input.type : undefined;
    const known = `expected one of ${types.join(', ')}`;
    return type === undefined ? `missing "type"; ${known}` : `unknown ${kind} type ${JSON.stringify(type)}; ${known}`;
  };
}

/** A finite, non-negative float (rates, strengths). */
export const nonNegative = z.number().finite().nonnegative();
/** A finite, strictly positive float. */
export const positive = z.number().finite().positive();
