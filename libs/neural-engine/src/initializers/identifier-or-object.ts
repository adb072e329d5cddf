import { z } from 'zod';
import { identifierSchema } from '../config.js';
import type { Registry } from '../identifiers.js';

/**
 * Schema of a config written either as a registry name (any spelling) or as one of the strict `{type, ...args}`
 * objects of `objects`. Shared by the initializer, regularizer and constraint families.
 */
export function identifierOrObjectSchema<O extends z.ZodType>(
  registry: Registry<unknown>,
  types: readonly string[],
  objects: O,
): z.ZodType<string | z.output<O>, string | z.input<O>> {
  const name = identifierSchema(registry);
  const expected = `the name of a ${registry.kind} or an object {type, ...args}`;
  // A plain z.union reports one "Invalid input" at the union's root, hiding which argument was wrong; dispatching on
  // the form of the input keeps the inner path (`kernelRegularizer.l2`) and the value received there.
  const schema = z.unknown().transform((value, ctx) => {
    if (typeof value !== 'string' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}`, input: value });
      return z.NEVER;
    }
    if (typeof value === 'object') {
      const type = (value as { type?: unknown }).type;
      if (typeof type !== 'string' || !types.includes(type)) {
        const message = type === undefined
          ? `missing ${registry.kind} type; expected one of ${types.join(', ')}`
          : `unknown ${registry.kind} type ${JSON.stringify(type)}; expected one of ${types.join(', ')}`;
        ctx.addIssue({ code: 'custom', path: ['type'], message, input: type });
        return z.NEVER;
      }
    }
    const result = (typeof value === 'string' ? name : objects).safeParse(value, { reportInput: true });
    if (result.success) return result.data as string | z.output<O>;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        // One issue per unknown property, at its own path, so the message names it and the value it holds.
        const holder = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)[k], value) as Record<string, unknown>;
        for (const key of issue.keys) {
          ctx.addIssue({ code: 'custom', path: [...issue.path, key], message: 'unknown property', input: holder[key] });
        }
        continue;
      }
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message, input: (issue as { input?: unknown }).input });
    }
    return z.NEVER;
  });
  return schema as unknown as z.ZodType<string | z.output<O>, string | z.input<O>>;
}
