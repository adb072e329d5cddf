import { z } from 'zod';
import type { Activation, ActivationConfig } from './activation.js';

/**
 * How an activation is registered: its Keras name, aliases, a strict schema of its camelCase arguments (without
 * `type`) and a factory taking the parsed arguments.
 */
export interface ActivationDefinition {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly params: z.ZodObject;
  /** Whether the bare name is a complete config (false when an argument has no default, like `threshold`'s). */
  readonly nameSuffices: boolean;
  create(args: Record<string, unknown>): Activation;
}

/** Builds a definition whose factory receives the arguments typed by its schema. */
export function defineActivation<S extends z.ZodObject>(definition: {
  name: string;
  aliases?: readonly string[];
  params: S;
  create: (args: z.output<S>) => Activation;
}): ActivationDefinition {
  const { name, aliases = [], params, create } = definition;
  return {
    name,
    aliases,
    params: params.strict(),
    nameSuffices: params.safeParse({}).success,
    create: (args) => create(args as z.output<S>),
  };
}

/** An activation without arguments. */
export const noParams = z.object({});

/**
 * Keras-style config of an activation: the bare name when every argument has its default (what Keras serializes),
 * otherwise `{type, ...args}` with every argument spelled out.
 */
export function activationConfig(name: string, args: Record<string, unknown>, defaults: Record<string, unknown>): ActivationConfig {
  const allDefault = Object.keys(args).every((k) => k in defaults && args[k] === defaults[k]);
  return allDefault ? name : { type: name, ...args };
}
