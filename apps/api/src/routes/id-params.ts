import { z } from 'zod';

/** `:id` of a resource: a UUID; anything else cannot exist, so it is a 404 like a missing id (see routes). */
export const idParamsSchema = z.object({ id: z.string() });

const uuid = z.uuid();
export const isUuid = (value: string): boolean => uuid.safeParse(value).success;
