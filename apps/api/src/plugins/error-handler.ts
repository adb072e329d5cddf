import { ConfigError, DataError } from '@kiln/neural-engine';
import { DatasetError } from '@kiln/datasets';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, describeIssues } from '../errors.js';

/** Fastify's own client errors, by code, as Kiln codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_CONTENT_LENGTH',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Turns anything thrown by a route into the one error shape; only unexpected errors are 500 (and logged). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof DatasetError) {
    const details = {
      ...error.details,
      ...(error.row !== undefined ? { row: error.row } : {}),
      ...(error.column !== undefined ? { column: error.column } : {}),
    };
    return new AppError(error.statusCode, error.code, error.message, Object.keys(details).length > 0 ? details : undefined);
  }
  if (error instanceof ConfigError) {
    return new AppError(400, 'INVALID_MODEL', error.message, error.issues ? { issues: error.issues } : undefined);
  }
  if (error instanceof DataError) return new AppError(422, 'INVALID_DATA', error.message);
  const fastifyError = error as Partial<FastifyError> & { issues?: never };
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new AppError(400, 'MALFORMED_JSON', `the body is not valid JSON: ${error.message}`);
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (fastifyError.code && FASTIFY_CODES[fastifyError.code]) ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST');
    return new AppError(status, code, fastifyError.message ?? 'bad request');
  }
  if (typeof (error as { issues?: unknown }).issues === 'object' && Array.isArray((error as { issues: unknown[] }).issues)) {
    return new AppError(400, 'VALIDATION_FAILED', describeIssues((error as { issues: never[] }).issues, 'body'));
  }
  return new AppError(500, 'INTERNAL', 'internal error');
}

/** One error shape everywhere, including 404 for unknown routes. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, message: appError.message }, 'request rejected');
    if (appError.statusCode === 503) reply.header('retry-after', '5');
    return reply.status(appError.statusCode).send(appError.toResponse());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(error.toResponse());
  });
}
