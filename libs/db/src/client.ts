import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export interface CreatePrismaClientOptions {
  /** Connections this process may hold; budget them across processes against Postgres's max_connections. */
  poolMax?: number;
  /** Give up acquiring a connection after this long, so a saturated or unreachable database fails fast. */
  connectionTimeoutMillis?: number;
  /** Close connections idle for this long. */
  idleTimeoutMillis?: number;
  /** Shown in pg_stat_activity, to tell the api from the worker. */
  applicationName?: string;
  /** Defaults for interactive transactions: how long to wait for a connection, and how long one may run. */
  transactionMaxWaitMillis?: number;
  transactionTimeoutMillis?: number;
}

/**
 * Creates the Prisma client over node-postgres (no native query engine). Create one per process
 * and `$disconnect()` it on shutdown.
 */
export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    application_name: options.applicationName ?? 'kiln',
    keepAlive: true,
  });
  return new PrismaClient({
    adapter,
    transactionOptions: {
      maxWait: options.transactionMaxWaitMillis ?? 5_000,
      timeout: options.transactionTimeoutMillis ?? 10_000,
    },
  });
}
