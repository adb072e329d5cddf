import { pathToFileURL } from 'node:url';
import { parseEnv } from '@kiln/contracts';
import { createPrismaClient, deleteAbandonedUploads, ensureTenant } from '@kiln/db';
import { createRedisConnection, createTrainingQueue, JobEventSubscriber, waitForRedis } from '@kiln/queue';
import { buildApp } from './app.js';
import { CachedPredictor } from './prediction/predictor.js';

/** Runs the api: connects, listens, and shuts down in order on SIGTERM/SIGINT (in-flight requests finish, new ones get 503). */
export async function startApi(env = parseEnv(process.env)) {
  const db = createPrismaClient(env.DATABASE_URL, { applicationName: 'kiln-api' });
  const redis = createRedisConnection(env.REDIS_URL, 'producer', 'kiln-api');
  const subscriber = createRedisConnection(env.REDIS_URL, 'subscriber', 'kiln-api-events');
  await Promise.all([waitForRedis(redis), waitForRedis(subscriber)]);
  const defaultTenantId = await ensureTenant(db);
  // Uploads that a crashed api left half-stored.
  await deleteAbandonedUploads(db, 60 * 60_000);
  const queue = createTrainingQueue(redis, env.QUEUE_PREFIX);
  const predictor = new CachedPredictor(db, { cacheBytes: env.MODEL_CACHE_BYTES, maxRows: env.PREDICT_MAX_ROWS });
  const app = await buildApp(
    { env, db, redis, queue, events: new JobEventSubscriber(subscriber, env.QUEUE_PREFIX), defaultTenantId, predictor },
    { logger: env.LOG_LEVEL === 'silent' ? false : { level: env.LOG_LEVEL } },
  );
  app.addHook('onClose', async () => {
    await predictor.close();
    await queue.close().catch(() => {});
    subscriber.disconnect();
    redis.disconnect();
    await db.$disconnect();
  });
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  app.log.info({ address }, 'api ready');
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close().then(() => undefined));
  return { app, address, close };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { close, app } = await startApi();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down');
      // Bounded: whatever hangs, the process exits.
      setTimeout(() => process.exit(1), 10_000).unref();
      void close().then(() => process.exit(0));
    });
  }
}
