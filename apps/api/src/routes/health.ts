import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** GET /healthz (the process is up) and GET /readyz (Postgres and Redis answer within a second). */
export function registerHealth(app: FastifyInstance, { db, redis }: AppDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    const checks = await Promise.allSettled([withTimeout(db.$queryRaw`SELECT 1`, 1_000), withTimeout(redis.ping(), 1_000)]);
    const [postgres, redisCheck] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : String((c.reason as Error).message ?? c.reason)));
    if (postgres !== 'ok' || redisCheck !== 'ok') {
      throw new AppError(503, 'NOT_READY', `not ready: postgres ${postgres}; redis ${redisCheck}`, { postgres, redis: redisCheck });
    }
    return { status: 'ok', postgres, redis: redisCheck };
  });
}
