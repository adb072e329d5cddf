import { z } from 'zod';

/**
 * The one error body of the HTTP API, e.g.
 * `{"statusCode":422,"code":"MODEL_TOO_LARGE","error":"Unprocessable Entity","message":"model has 1.2e10 parameters; the limit is 5e7"}`.
 * `error` is the HTTP reason phrase; `code` is stable and machine-readable; `message` is for people.
 */
export const errorResponseSchema = z.strictObject({
  statusCode: z.number().int().min(400).max(599),
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'codes are UPPER_SNAKE_CASE'),
  error: z.string().min(1),
  message: z.string().min(1),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type ErrorResponse = z.infer<typeof errorResponseSchema>;
