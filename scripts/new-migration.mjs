// `npm run db:migration -- <name>`: writes prisma/migrations/<UTC timestamp>_<name>/migration.sql
// with the SQL that turns the schema at HEAD into the edited prisma/schema.prisma (`prisma migrate
// dev` does not work with the engine-free setup). Add `--from-migrations` to diff from what the
// existing migrations build instead, e.g. when the schema change is already committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  SetupError,
  checkNode,
  childEnv,
  ensureDatabase,
  ensureDependencies,
  ensureServices,
  prisma,
  root,
  runMain,
  say,
  step,
} from './setup.mjs';

const SCHEMA = 'prisma/schema.prisma';
const MIGRATIONS = 'prisma/migrations';

function headSchema() {
  try {
    return execFileSync('git', ['show', `HEAD:${SCHEMA}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null; // no commit or no schema at HEAD yet
  }
}

function timestamp() {
  return new Date().toISOString().replace(/\D/g, '').slice(0, 14);
}

await runMain(async () => {
  const args = process.argv.slice(2);
  const fromMigrations = args.includes('--from-migrations');
  const name = args.filter((a) => !a.startsWith('--')).join('_').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (!name) throw new SetupError('usage: npm run db:migration -- <name> [--from-migrations]   (e.g. add_api_keys)');

  checkNode();
  const env = childEnv();
  ensureDependencies();
  // migrate diff talks to Postgres even for file-to-file diffs (the JavaScript schema engine runs over the adapter).
  await ensureServices(env, { redis: false });
  await ensureDatabase(env);

  const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-migration-'));
  try {
    let from;
    if (fromMigrations) {
      from = ['--from-migrations', MIGRATIONS];
    } else {
      const previous = headSchema();
      if (previous === readFileSync(path.join(root, SCHEMA), 'utf8')) {
        throw new SetupError(
          `${SCHEMA} has not changed since HEAD. Edit it first, or, if the change is already committed, run\n` +
            `    npm run db:migration -- ${name} --from-migrations`,
        );
      }
      if (previous === null) {
        from = ['--from-empty'];
      } else {
        writeFileSync(path.join(tmp, 'schema.prisma'), previous);
        from = ['--from-schema-datamodel', path.join(tmp, 'schema.prisma')];
      }
    }

    const done = step(`diff ${fromMigrations ? MIGRATIONS : from[0] === '--from-empty' ? 'empty database' : `HEAD:${SCHEMA}`} → ${SCHEMA}`);
    const diff = prisma(['migrate', 'diff', ...from, '--to-schema-datamodel', SCHEMA, '--script', '--exit-code'], { env });
    if (diff.status === 0) {
      done('no difference');
      throw new SetupError('The schema change needs no SQL: no migration written.');
    }
    if (diff.status !== 2) throw new SetupError(`prisma migrate diff failed:\n${diff.output}`);
    const directory = path.join(MIGRATIONS, `${timestamp()}_${name}`);
    mkdirSync(path.join(root, directory), { recursive: true });
    writeFileSync(path.join(root, directory, 'migration.sql'), diff.stdout);
    done(`wrote ${directory}/migration.sql`);

    const checked = step('check: the migrations now build exactly the schema');
    const drift = prisma(['migrate', 'diff', '--from-migrations', MIGRATIONS, '--to-schema-datamodel', SCHEMA, '--exit-code'], { env });
    if (drift.status !== 0) {
      checked('NO');
      throw new SetupError(
        `${directory} was written, but the migrations still differ from ${SCHEMA}:\n${drift.output}\n` +
          `If the schema change was committed before its migration, delete ${directory} and run\n` +
          `    npm run db:migration -- ${name} --from-migrations`,
      );
    }
    checked('yes');
    say(`Review ${directory}/migration.sql, then run npm start or npm test to apply it.`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
