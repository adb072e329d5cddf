import { describe, expect, it } from 'vitest';
import { errorResponseSchema } from './errors.js';

describe('errorResponseSchema', () => {
  it('accepts the documented shape, with or without details', () => {
    const body = {
      statusCode: 422,
      code: 'MODEL_TOO_LARGE',
      error: 'Unprocessable Entity',
      message: 'model has 1.2e10 parameters; the limit is 5e7',
      details: { parameters: 1.2e10, limit: 5e7 },
    };
    expect(errorResponseSchema.parse(body)).toEqual(body);
    const { details: _details, ...withoutDetails } = body;
    expect(errorResponseSchema.parse(withoutDetails)).toEqual(withoutDetails);
  });

  it('rejects unknown properties, non-error statuses and free-form codes', () => {
    const base = { statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'job not found' };
    expect(errorResponseSchema.safeParse({ ...base, stack: 'at ...' }).success).toBe(false);
    expect(errorResponseSchema.safeParse({ ...base, statusCode: 200 }).success).toBe(false);
    expect(errorResponseSchema.safeParse({ ...base, code: 'not found' }).success).toBe(false);
    expect(errorResponseSchema.safeParse({ ...base, message: undefined }).success).toBe(false);
  });
});
