import { Redis, type RedisOptions } from 'ioredis';

/**
 * How a connection behaves when Redis is away:
 * - `worker` (BullMQ Worker, blocking commands): retries forever; BullMQ requires maxRetriesPerRequest null.
 * - `producer` (the api's Queue, publishers): fails fast, so a request answers 503 instead of hanging.
 * - `subscriber` (pub/sub): retries forever and resubscribes on reconnect.
 */
export type ConnectionRole = 'worker' | 'producer' | 'subscriber';

/** A Redis connection for a role (see ConnectionRole); reconnects with capped backoff. */
export function createRedisConnection(url: string, role: ConnectionRole, name = `kiln-${role}`): Redis {
  const options: RedisOptions = {
    connectionName: name,
    retryStrategy: (times) => Math.min(200 * times, 5_000),
    // A replica promoted or a failover in progress: reconnect instead of failing every write.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    ...(role === 'producer' ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 } : { maxRetriesPerRequest: null }),
  };
  return new Redis(url, options);
}

/** Waits until a connection is ready (or fails after timeoutMs): used at boot and in readiness checks. */
export async function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    const onReady = () => finish();
    const finish = (error?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      if (error) reject(error);
      else resolve();
    };
    redis.on('ready', onReady);
  });
}
