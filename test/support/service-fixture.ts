import { randomUUID } from 'node:crypto';
import { buildApp, CachedPredictor } from '@kiln/api';
import { type Env, parseEnv } from '@kiln/contracts';
import { createPrismaClient, ensureTenant, type PrismaClient } from '@kiln/db';
import { createRedisConnection, createTrainingQueue, JobEventSubscriber, waitForRedis, deleteKeysWithPrefix } from '@kiln/queue';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createMigratedDatabase, type TestDatabase } from './test-database.js';

/** A real api over its own database and its own Redis key prefix; `close()` removes both. */
export interface ServiceFixture {
  env: Env;
  database: TestDatabase;
  db: PrismaClient;
  redis: Redis;
  app: FastifyInstance;
  tenantId: string;
  /** Environment for child processes (api, worker) that must share this database and prefix. */
  childEnv: Record<string, string>;
  close(): Promise<void>;
}


export async function createServiceFixture(label: string, overrides: Record<string, string> = {}): Promise<ServiceFixture> {
  const database = await createMigratedDatabase(label);
  const prefix = `kiln-test-${label}-${randomUUID().slice(0, 8)}`;
  const childEnv: Record<string, string> = { DATABASE_URL: database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...overrides };
  const env = parseEnv({ ...process.env, ...childEnv });
  const db = createPrismaClient(env.DATABASE_URL, { applicationName: `kiln-test-${label}` });
  const redis = createRedisConnection(env.REDIS_URL, 'producer', `kiln-test-${label}`);
  const subscriber = createRedisConnection(env.REDIS_URL, 'subscriber', `kiln-test-${label}-events`);
  await Promise.all([waitForRedis(redis), waitForRedis(subscriber)]);
  const tenantId = await ensureTenant(db);
  const queue = createTrainingQueue(redis, prefix);
  const predictor = new CachedPredictor(db, { cacheBytes: env.MODEL_CACHE_BYTES, maxRows: env.PREDICT_MAX_ROWS });
  const app = await buildApp({ env, db, redis, queue, events: new JobEventSubscriber(subscriber, prefix), defaultTenantId: tenantId, predictor });
  await app.ready();
  return {
    env,
    database,
    db,
    redis,
    app,
    tenantId,
    childEnv,
    async close() {
      await app.close();
      await predictor.close();
      await queue.close();
      await deleteKeysWithPrefix(redis, prefix);
      subscriber.disconnect();
      redis.disconnect();
      await db.$disconnect();
      await database.drop();
    },
  };
}
