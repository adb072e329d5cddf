// The driver adapter the Prisma CLI uses (see prisma.config.ts), with two local fixes to
// @prisma/adapter-pg 7.10.1 that `prisma migrate diff --from-migrations` needs.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg-migrate';
import pg from 'pg';

/** Postgres's one-byte `"char"` type (pg_catalog columns such as relkind or contype). */
const CHAR_OID = 18;
const TEXT_OID = 25;

type Fields = { fields?: { dataTypeID: number }[] };

function charColumnsAsText<R>(result: R): R {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of (part as Fields | null)?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/**
 * The adapter rejects result columns of type `"char"` ("Column type 'char' could not be
 * deserialized", the sibling of prisma/orm#27403 for `name`), and the schema engine reads such
 * catalog columns whenever it describes a database. Its text form is a one-character string, so
 * the columns are reported as text.
 */
class CharAsTextClient extends pg.Client {
  // pg's overloads cannot be forwarded one by one; the arguments are passed through untouched.
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) => callback(error, error ? result : charColumnsAsText(result));
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return (returned instanceof Promise ? returned.then(charColumnsAsText) : returned) as never;
  }
}

const poolOptions = {
  Client: CharAsTextClient,
  // The CLI does not always close its pools; idle connections would keep it alive for pg's
  // 10 s idle timeout after the command has finished.
  allowExitOnIdle: true,
};

export interface MigrateConnection {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
}

/**
 * Upstream drops its shadow database before closing the pool connected to it, which Postgres
 * refuses ("is being accessed by other users"): the command failed and left the database
 * behind. Here the pool is closed first, then the database is dropped.
 */
export class PrismaPgForMigrations extends PrismaPg {
  constructor(private readonly connection: MigrateConnection) {
    super({ ...connection, ...poolOptions });
  }

  override async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = await this.connect();
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = await new PrismaPg({ ...this.connection, database: name, ...poolOptions }).connect();
    const closeShadowPool = shadow.dispose.bind(shadow);
    return Object.assign(shadow, {
      async dispose() {
        try {
          await closeShadowPool();
          await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
        } finally {
          await admin.dispose();
        }
      },
    });
  }
}
