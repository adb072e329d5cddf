import { FencedError } from '@kiln/db';
import type { Logger } from './logger.js';

// Prisma codes of a database that is unreachable, restarting, saturated, or that aborted a transaction to be retried.
const transientCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034', '57P01', '57P03', '08006', '08001', '08003', '40001', '40P01']);
const transientMessage =
  /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|timeout exceeded when trying to connect|terminating connection|Can't reach database|server closed the connection|Transaction API error|database system is (starting up|shutting down)|Connection ended/i;

/** Whether a database error may go away by itself (restart, failover, pool exhaustion), so retrying the write makes sense. */
export function isTransientDbError(error: unknown): boolean {
  if (error instanceof FencedError || !(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const causeCode = (error as { cause?: { code?: unknown } }).cause?.code;
  if ((typeof code === 'string' && transientCodes.has(code)) || (typeof causeCode === 'string' && transientCodes.has(causeCode))) return true;
  return transientMessage.test(error.message);
}

export interface RetryOptions {
  /** Tries in all (the first included). */
  tries: number;
  /** Delay before the first retry; doubled each time up to maxDelayMs. */
  delayMs: number;
  maxDelayMs: number;
}

/** Default: about 30 s of retries, long enough for a Postgres restart (RELIABILITY row 10). */
export const DB_RETRY: RetryOptions = { tries: 8, delayMs: 250, maxDelayMs: 8_000 };

/**
 * Runs a database write, retrying transient failures with exponential backoff. Safe because every worker write is an
 * idempotent, fenced transaction: a retry after an unknown outcome either repeats it or is rejected by the fence.
 */
export async function withDbRetry<T>(what: string, write: () => Promise<T>, log: Logger, options: RetryOptions = DB_RETRY): Promise<T> {
  let delay = options.delayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= options.tries || !isTransientDbError(error)) throw error;
      log.warn('database write failed; retrying', { what, attempt, delayMs: delay, error });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs);
    }
  }
}
