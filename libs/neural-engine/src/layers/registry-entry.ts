import type { z } from 'zod';
import type { Layer } from './layer.js';

/** A strict object schema discriminated by a literal `type` (every layer schema has this form). */
export type LayerObjectSchema = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape>;

/** One registered layer type: its config schema and a constructor taking the validated config. */
export interface LayerEntry<S extends LayerObjectSchema = LayerObjectSchema> {
  readonly schema: S;
  create(config: z.output<S>): Layer;
}

/** A registry entry, typed so that `create` receives exactly the schema's output. */
export function entry<S extends LayerObjectSchema>(schema: S, create: (config: z.output<S>) => Layer): LayerEntry<S> {
  return { schema, create };
}
