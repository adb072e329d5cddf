// `npm start`: set up everything (see setup.mjs), then run Kiln: the api and one worker, their logs prefixed,
// Ctrl-C (or SIGTERM) stops both cleanly. `npm run start:api` / `npm run start:worker` run one of them, e.g. to add
// workers on other machines against the same Postgres and Redis (set DATABASE_URL and REDIS_URL).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { SetupError, root, runMain, say, setup } from './setup.mjs';

const PROCESSES = {
  api: path.join(root, 'apps', 'api', 'dist', 'server.js'),
  worker: path.join(root, 'apps', 'worker', 'dist', 'main.js'),
};

const which = process.argv[2] ?? 'all';
if (which !== 'all' && !(which in PROCESSES)) {
  console.error(`usage: node scripts/start.mjs [api|worker]; received ${which}`);
  process.exit(2);
}
const names = which === 'all' ? ['api', 'worker'] : [which];

/** Starts one process with its output prefixed by its name. */
function startProcess(name, env) {
  const entry = PROCESSES[name];
  if (!existsSync(entry)) throw new SetupError(`${path.relative(root, entry)} was not built.`);
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const label = name.padEnd(6);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${label}| ${line}\n`));
  }
  return child;
}

await runMain(async () => {
  const env = await setup();
  const children = new Map(names.map((name) => [name, startProcess(name, env)]));
  const host = env.HOST || '127.0.0.1';
  const port = env.PORT || '3000';
  if (children.has('api')) {
    say(`api:       http://${host}:${port}/v1  (health: /healthz, readiness: /readyz, live metrics: ws://${host}:${port}/v1/stream)`);
  }
  if (children.has('worker')) say('worker:    training jobs from the queue (Ctrl-C stops everything)');

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
  };
  // Ctrl-C reaches the children through the terminal too; SIGTERM is passed on. Each child shuts down in order.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const exits = [...children].map(
    ([name, child]) =>
      new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          if (!stopping) {
            say(`${name} exited (${signal ?? `code ${code}`}); stopping the others`);
            stop('SIGTERM');
          }
          resolve(code ?? 1);
        }),
      ),
  );
  const codes = await Promise.all(exits);
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
});
