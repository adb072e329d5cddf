import { z } from 'zod';
import { AppError } from '../errors.js';

/** `?limit=&cursor=` of every list route. */
export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});

export const badCursor = () => new AppError(400, 'INVALID_CURSOR', 'cursor is not one returned by this list; start again without it');
