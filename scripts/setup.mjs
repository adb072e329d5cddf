// The set-up shared by `npm start`, `npm test` and `npm run db:migration`. Plain Node ESM with no
// dependencies: it runs before `npm install` has. Each step prints one line; a failed step prints
// what to do and exits with status 1.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Keep in sync with libs/contracts/src/env.ts (which cannot be imported before the build).
const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/kiln';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '']);
const PG_PROGRAM = 'pg_ctlcluster';
const REDIS_PROGRAM = 'redis-server';

/** A step failed; `message` says what to do. */
export class SetupError extends Error {}

const useColor = process.stdout.isTTY && !process.env['NO_COLOR'];
const paint = (code, text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Prints the start of a step; call the returned function with a short result to end the line. */
export function step(label) {
  const started = Date.now();
  process.stdout.write(`${paint('36', '›')} ${label}`);
  let open = true;
  return (result = 'ok') => {
    if (!open) return;
    open = false;
    process.stdout.write(` ${paint('2', `— ${result} (${formatMillis(Date.now() - started)})`)}\n`);
  };
}

/** Prints a line of its own (for steps that stream a child's output). */
export function say(text) {
  process.stdout.write(`${paint('36', '›')} ${text}\n`);
}

export function formatMillis(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Runs `main`, turning a SetupError into a readable message and exit status 1. */
export async function runMain(main) {
  try {
    await main();
  } catch (error) {
    process.stdout.write('\n');
    if (error instanceof SetupError) {
      console.error(`${paint('31', '✗')} ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  }
}

/** The environment for every child process: the caller's, with the local defaults filled in. */
export function childEnv() {
  return {
    ...process.env,
    DATABASE_URL: process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL,
    REDIS_URL: process.env['REDIS_URL'] || DEFAULT_REDIS_URL,
    // The Prisma CLI must never try the network (no native engines here; see prisma.config.ts).
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
}

/** Runs a command to completion; stdio inherited unless `capture`. Returns { status, output }. */
export function run(command, args, { env = childEnv(), capture = false } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new SetupError(`could not run ${command}: ${result.error.message}`);
  const output = capture ? `${result.stdout ?? ''}${result.stderr ?? ''}` : '';
  return { status: result.status ?? 1, stdout: result.stdout ?? '', output };
}

/** Runs a JavaScript file of an installed package's bin with this Node. */
export function runPackageBin(pkg, bin, args, { nodeArgs = [], ...options } = {}) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  return run(process.execPath, [...nodeArgs, path.join(root, 'node_modules', pkg, relative), ...args], options);
}

export function checkNode() {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new SetupError(`Kiln needs Node >= 20.19; this is Node ${process.versions.node}.`);
  }
}

const INSTALL_STAMP = path.join(root, 'node_modules', '.kiln-install-stamp');

/** Installs dependencies when node_modules is missing or package-lock.json changed since the last install. */
export function ensureDependencies() {
  const lockFile = path.join(root, 'package-lock.json');
  const hasLock = existsSync(lockFile);
  const lockHash = hasLock ? createHash('sha256').update(readFileSync(lockFile)).digest('hex') : 'no-lock';
  const installedHash = existsSync(INSTALL_STAMP) ? readFileSync(INSTALL_STAMP, 'utf8').trim() : null;
  if (existsSync(path.join(root, 'node_modules')) && installedHash === lockHash) {
    step('dependencies')('up to date');
    return;
  }
  const started = Date.now();
  const args = hasLock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  say(`dependencies: npm ${args[0]} (${existsSync(path.join(root, 'node_modules')) ? 'package-lock.json changed' : 'no node_modules'})`);
  // Under `npm start` npm_execpath is the running npm; otherwise use the one on PATH.
  const npmCli = process.env['npm_execpath'];
  const { status } = npmCli && npmCli.endsWith('.js') ? run(process.execPath, [npmCli, ...args]) : run('npm', args);
  if (status !== 0) throw new SetupError(`npm ${args[0]} failed (exit status ${status}); see its output above.`);
  // `npm install` may have just written the lock file.
  const writtenHash = existsSync(lockFile) ? createHash('sha256').update(readFileSync(lockFile)).digest('hex') : lockHash;
  writeFileSync(INSTALL_STAMP, `${writtenHash}\n`);
  say(`dependencies — installed (${formatMillis(Date.now() - started)})`);
}

/** host and port of a service URL, with the scheme's default port. */
function endpoint(urlText, variable, defaultPort) {
  let url;
  try {
    url = new URL(urlText);
  } catch {
    throw new SetupError(`${variable} is not a valid URL.`);
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || defaultPort) };
}

export function isReachable({ host, port }, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host || '127.0.0.1', port });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function waitUntilReachable(target, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isReachable(target)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function findProgram(name) {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/bin']) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** Installed Debian Postgres clusters' versions, newest first (from /etc/postgresql). */
function postgresVersions() {
  if (!existsSync('/etc/postgresql')) return [];
  return readdirSync('/etc/postgresql')
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
}

const sudo = () => (process.getuid?.() === 0 ? '' : 'sudo ');

function postgresStartCommands() {
  const versions = postgresVersions();
  return (versions.length ? versions : ['15']).map((v) => `${sudo()}pg_ctlcluster --skip-systemctl-redirect ${v} main start`);
}

function redisStartCommand(port) {
  return `redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no`;
}

/** Tries to start a local server; returns a short note when it could not. */
async function tryStart(service, target) {
  if (service === 'postgres') {
    if (!findProgram(PG_PROGRAM) || postgresVersions().length === 0) return 'not installed';
    for (const version of postgresVersions()) {
      const { status, output } = run(PG_PROGRAM, ['--skip-systemctl-redirect', version, 'main', 'start'], { capture: true });
      if (status === 0 && (await waitUntilReachable(target, 20_000))) return null;
      if (status !== 0) return `pg_ctlcluster ${version} main start failed: ${output.trim().split('\n').pop()}`;
    }
    return 'started, but the port did not open within 20 s';
  }
  if (!findProgram(REDIS_PROGRAM)) return 'not installed';
  const args = ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(target.port), '--save', '', '--appendonly', 'no'];
  const { status, output } = run(REDIS_PROGRAM, args, { capture: true });
  if (status !== 0) return `redis-server failed: ${output.trim().split('\n').pop()}`;
  return (await waitUntilReachable(target, 10_000)) ? null : 'started, but the port did not open within 10 s';
}

/**
 * Makes sure Postgres (and Redis unless `redis: false`) accept TCP connections at the addresses of
 * DATABASE_URL / REDIS_URL, starting the local servers when they are installed but stopped.
 */
export async function ensureServices(env, { redis = true } = {}) {
  const services = [
    { service: 'postgres', name: 'Postgres', variable: 'DATABASE_URL', target: endpoint(env.DATABASE_URL, 'DATABASE_URL', 5432) },
  ];
  if (redis) {
    services.push({ service: 'redis', name: 'Redis', variable: 'REDIS_URL', target: endpoint(env.REDIS_URL, 'REDIS_URL', 6379) });
  }
  const problems = [];
  for (const { service, name, variable, target } of services) {
    const where = `${target.host}:${target.port}`;
    const done = step(`${name} at ${where}`);
    if (await isReachable(target)) {
      done('reachable');
      continue;
    }
    if (!LOCAL_HOSTS.has(target.host)) {
      done('NOT reachable');
      problems.push({ service, name, variable, where, local: false });
      continue;
    }
    const note = await tryStart(service, target);
    if (note === null) {
      done('was stopped; started it');
    } else {
      done(`NOT reachable (${note})`);
      problems.push({ service, name, variable, where, local: true, port: target.port });
    }
  }
  if (problems.length > 0) throw new SetupError(servicesHelp(problems));
}

function servicesHelp(problems) {
  const lines = problems.map((p) => `${p.name} is not reachable at ${p.where} (from ${p.variable}).`);
  const remote = problems.filter((p) => !p.local);
  if (remote.length > 0) {
    lines.push(`Check that ${remote.map((p) => p.variable).join(' and ')} point${remote.length > 1 ? '' : 's'} at a running server.`);
  }
  const local = problems.filter((p) => p.local);
  if (local.length > 0) {
    const pg = local.find((p) => p.service === 'postgres');
    const redis = local.find((p) => p.service === 'redis');
    lines.push(
      '',
      'Start the local servers, then run the command again. Either with Docker (docker-compose.yml):',
      '    docker compose up -d postgres redis',
      'or with the Debian packages:',
      `    ${sudo()}apt-get install -y ${[pg && 'postgresql', redis && 'redis-server'].filter(Boolean).join(' ')}`,
      ...(pg ? postgresStartCommands().map((c) => `    ${c}`) : []),
      ...(redis ? [`    ${redisStartCommand(redis.port)}`] : []),
    );
    if (pg) {
      lines.push(
        'A new Debian cluster asks TCP clients for a password: set one and put it in DATABASE_URL, e.g.',
        `    ${sudo()}su postgres -c "psql -c \\"ALTER USER postgres PASSWORD 'postgres'\\""`,
        '    export DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/kiln',
      );
    }
  }
  return lines.join('\n');
}

/** Creates the database named in DATABASE_URL when it does not exist (needs `pg`, so after install). */
export async function ensureDatabase(env) {
  const target = new URL(env.DATABASE_URL);
  const database = decodeURIComponent(target.pathname.slice(1));
  const done = step(`database "${database}"`);
  if (!database) throw new SetupError('DATABASE_URL names no database (expected .../<database>).');
  const { default: pg } = await import('pg');
  const admin = new URL(target);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) {
      done('exists');
      return;
    }
    await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    done('created');
  } catch (error) {
    // 42P04: created meanwhile by a concurrent run.
    if (error?.code === '42P04') return done('exists');
    done('failed');
    throw new SetupError(`could not create database "${database}" through ${admin.host}: ${error.message}. Check DATABASE_URL.`);
  } finally {
    await client.end().catch(() => {});
  }
}

const GENERATED_DIR = path.join(root, 'libs', 'db', 'src', 'generated');
const GENERATED_STAMP = path.join(GENERATED_DIR, '.kiln-schema-hash');

function prismaInputsHash() {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(root, 'prisma', 'schema.prisma')));
  for (const pkg of ['prisma', '@prisma/client']) {
    hash.update(JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version);
  }
  return hash.digest('hex');
}

/** Runs the Prisma CLI (DATABASE_URL always set, so it never looks for native engines). */
export function prisma(args, { env = childEnv() } = {}) {
  const preload = path.join(root, 'scripts', 'prisma-cli-preload.cjs');
  return runPackageBin('prisma', 'prisma', args, { env, capture: true, nodeArgs: ['--require', preload] });
}

/** `prisma generate` into libs/db/src/generated, skipped when the schema and Prisma are unchanged since the last run. */
export function generatePrismaClient(env) {
  const done = step('Prisma client (prisma generate)');
  const hash = prismaInputsHash();
  const upToDate =
    existsSync(path.join(GENERATED_DIR, 'client.ts')) &&
    existsSync(GENERATED_STAMP) &&
    readFileSync(GENERATED_STAMP, 'utf8').trim() === hash;
  if (upToDate) {
    done('up to date');
    return;
  }
  const { status, output } = prisma(['generate'], { env });
  if (status !== 0) throw new SetupError(`prisma generate failed:\n${output}`);
  writeFileSync(GENERATED_STAMP, `${hash}\n`);
  done('generated');
}

/** `prisma migrate deploy`: applies the migrations of prisma/migrations that the database lacks. */
export function applyMigrations(env) {
  const done = step('migrations (prisma migrate deploy)');
  const { status, output } = prisma(['migrate', 'deploy'], { env });
  if (status !== 0) throw new SetupError(`prisma migrate deploy failed:\n${output}`);
  const applied = [...output.matchAll(/└─ (\S+)\//g)].map((m) => m[1]);
  done(applied.length ? `applied ${applied.join(', ')}` : 'up to date');
}

/** `tsc -b`: builds every package to dist/ in project-reference order. */
export function build() {
  const done = step('build (tsc -b)');
  const { status, output } = runPackageBin('typescript', 'tsc', ['-b', ...(useColor ? ['--pretty'] : [])], { capture: true });
  if (status !== 0) {
    done('failed');
    throw new SetupError(`the build failed:\n${output}`);
  }
  done();
}

/** Compiles the engine's AssemblyScript kernels to libs/neural-engine/wasm/kernels.wasm (skipped when unchanged). */
export async function buildKernels() {
  const done = step('WebAssembly kernels (build-wasm)');
  // Imported here, not at the top: it loads assemblyscript, which exists only after ensureDependencies.
  const { buildWasm } = await import('./build-wasm.mjs');
  try {
    done(await buildWasm());
  } catch (error) {
    done('failed');
    throw new SetupError(error.message);
  }
}

/** Everything `npm start` and `npm test` need before running anything; returns the child environment. */
export async function setup() {
  checkNode();
  const env = childEnv();
  ensureDependencies();
  await ensureServices(env);
  await ensureDatabase(env);
  generatePrismaClient(env);
  applyMigrations(env);
  await buildKernels();
  build();
  return env;
}
