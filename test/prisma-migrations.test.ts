import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient, Prisma, type PrismaClient } from '@kiln/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, repositoryRoot, runPrismaCli, type TestDatabase } from './support/test-database.js';

// The migrations path end to end, on a database of its own: apply every migration with
// `prisma migrate deploy`, prove that they build exactly prisma/schema.prisma, and use the
// runtime client of libs/db on the result.

const migrationNames = readdirSync(path.join(repositoryRoot, 'prisma', 'migrations'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

let database: TestDatabase;
let db: PrismaClient | undefined;

beforeAll(async () => {
  database = await createTestDatabase('migrations');
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('prisma migrations', { timeout: 120_000 }, () => {
  it('apply to an empty database with prisma migrate deploy', async () => {
    const { status, output } = await runPrismaCli(database.url, 'migrate', 'deploy');
    expect(output).toContain('All migrations have been successfully applied');
    expect(status).toBe(0);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    } finally {
      await client.end();
    }
  });

  it('build exactly prisma/schema.prisma (no drift)', async () => {
    const { status, output } = await runPrismaCli(
      database.url,
      'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema-datamodel', 'prisma/schema.prisma', '--exit-code',
    );
    expect(output).toContain('No difference detected');
    expect(status).toBe(0);
  });

  it('leave the migrated database identical to prisma/schema.prisma', async () => {
    // Introspect the migrated database, then compare that datamodel with the schema.
    const pulled = await runPrismaCli(database.url, 'db', 'pull', '--print');
    expect(pulled.status).toBe(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'kiln-pulled-'));
    try {
      // stdout starts with a warning about the datasource url (kept on purpose: see prisma/schema.prisma).
      writeFileSync(path.join(dir, 'schema.prisma'), pulled.stdout.slice(pulled.stdout.search(/^(generator|datasource) /m)));
      const { status, output } = await runPrismaCli(
        database.url,
        'migrate', 'diff', '--from-schema-datamodel', path.join(dir, 'schema.prisma'), '--to-schema-datamodel', 'prisma/schema.prisma', '--exit-code',
      );
      expect(output).toContain('No difference detected');
      expect(status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serve the runtime client of libs/db', async () => {
    db = createPrismaClient(database.url, { poolMax: 2 });
    const created = await db.tenant.create({ data: { name: 'acme' } });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.createdAt).toBeInstanceOf(Date);

    expect(await db.tenant.findUnique({ where: { name: 'acme' } })).toEqual(created);

    const duplicate = await db.tenant.create({ data: { name: 'acme' } }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
  });
});
