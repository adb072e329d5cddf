import { STATUS_CODES } from 'node:http';
import type { ErrorResponse } from '@kiln/contracts';
import type { z } from 'zod';

/** An error meant for the client: a status, a stable UPPER_SNAKE code, a message for people, optional details. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toResponse(): ErrorResponse {
    return {
      statusCode: this.statusCode,
      code: this.code,
      error: STATUS_CODES[this.statusCode] ?? 'Error',
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export const notFound = (what: string, id: string) => new AppError(404, 'NOT_FOUND', `${what} ${id} not found`);

/** Formats zod issues as `body.fit.epochs: Too small: expected number to be >0` lines. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], part: string): string {
  return issues
    .slice(0, 10)
    .map((issue) => {
      const where = [part, ...issue.path.map(String)].join('.');
      return issue.code === 'unrecognized_keys'
        ? `${where}: unknown propert${issue.keys.length > 1 ? 'ies' : 'y'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses a request part with a zod schema; a mismatch is a 400 naming every problem and where it is. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'params' | 'headers'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(400, 'VALIDATION_FAILED', describeIssues(result.error.issues, part), {
    issues: result.error.issues.map((i) => ({ path: [part, ...i.path.map(String)].join('.'), code: i.code, message: i.message })),
  });
}
