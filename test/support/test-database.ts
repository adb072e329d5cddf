import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseEnv } from '@kiln/contracts';
import pg from 'pg';

// Databases of their own for integration tests: created on the server of DATABASE_URL, migrated
// with the real `prisma migrate deploy`, and dropped by the test that created them.

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const prismaCli = path.join(repositoryRoot, 'node_modules', 'prisma', 'build', 'index.js');
const prismaPreload = path.join(repositoryRoot, 'scripts', 'prisma-cli-preload.cjs');
const execFileAsync = promisify(execFile);

function databaseUrl(database: string): string {
  const url = new URL(parseEnv(process.env).DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface PrismaCliResult {
  status: number;
  stdout: string;
  /** stdout and stderr together. */
  output: string;
}

/** Runs the Prisma CLI of the repository against `url`; never throws on a non-zero exit status. */
export async function runPrismaCli(url: string, ...args: string[]): Promise<PrismaCliResult> {
  const env = { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--require', prismaPreload, prismaCli, ...args], {
      cwd: repositoryRoot,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { status: 0, stdout, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    const stdout = failure.stdout ?? '';
    return { status: typeof failure.code === 'number' ? failure.code : 1, stdout, output: stdout + (failure.stderr ?? '') };
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database (closing any connection left to it). */
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name (`kiln_test_<label>_<random>`). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `kiln_test_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

/** Creates a database with a unique name and applies every migration with `prisma migrate deploy`. */
export async function createMigratedDatabase(label: string): Promise<TestDatabase> {
  const database = await createTestDatabase(label);
  const deploy = await runPrismaCli(database.url, 'migrate', 'deploy');
  if (deploy.status !== 0) {
    await database.drop();
    throw new Error(`prisma migrate deploy failed on ${database.name}:\n${deploy.output}`);
  }
  return database;
}
