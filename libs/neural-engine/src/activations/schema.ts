import { z } from 'zod';
import type { ActivationConfig } from './activation.js';
import { activationRegistry } from './registry.js';

const expected = () => activationRegistry.names().join(', ');

/** A name string in any spelling; names whose arguments have no defaults (threshold) need the object form. */
const nameForm = z.string().superRefine((name, ctx) => {
  const definition = activationRegistry.has(name) ? activationRegistry.get(name) : undefined;
  if (!definition) {
    ctx.addIssue({ code: 'custom', message: `unknown activation ${JSON.stringify(name)}; expected one of ${expected()}`, input: name });
  } else if (!definition.nameSuffices) {
    const args = Object.keys(definition.params.shape).join(', ');
    ctx.addIssue({
      code: 'custom',
      message: `activation ${JSON.stringify(name)} has required arguments; write {"type": "${definition.name}", ${args}}`,
      input: name,
    });
  }
});

/** `{type, ...args}`: `type` names the activation in any spelling; its arguments are checked by its strict schema. */
const objectForm = z
  .object({ type: z.string() })
  .catchall(z.unknown())
  .superRefine((config, ctx) => {
    const definition = activationRegistry.has(config.type) ? activationRegistry.get(config.type) : undefined;
    if (!definition) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `unknown activation ${JSON.stringify(config.type)}; expected one of ${expected()}`,
        input: config.type,
      });
      return;
    }
    const { type: _type, ...args } = config;
    const result = definition.params.safeParse(args, { reportInput: true });
    if (result.success) return;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        // One issue per unknown argument, at its own path, listing what the activation does accept.
        const accepted = ['type', ...Object.keys(definition.params.shape)].join(', ');
        for (const key of issue.keys) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${definition.name} has no argument ${JSON.stringify(key)}; expected ${accepted}`,
            input: args[key],
          });
        }
      } else {
        ctx.addIssue({ ...issue });
      }
    }
  });

/**
 * An activation config: a Keras name in any spelling (`"relu"`, `"leakyRelu"`) or `{type: "<name>", ...camelCaseArgs}`
 * such as `{type: "relu", negativeSlope: 0.1, maxValue: 6}`. Objects are strict: unknown arguments are rejected.
 */
export const activationSchema: z.ZodType<ActivationConfig, ActivationConfig> = z.union([nameForm, objectForm], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `expected an activation name or an object {"type": "<activation name>", ...arguments}`
      : undefined,
});
