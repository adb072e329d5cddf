import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { repositoryRoot } from './test-database.js';

/** A Kiln process started by a test (built entry points under dist/, as `npm start` runs them). */
export interface KilnProcess {
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line that matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends a signal and waits for the exit; returns the exit code (or the signal name). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

const entries = {
  api: path.join(repositoryRoot, 'apps', 'api', 'dist', 'server.js'),
  worker: path.join(repositoryRoot, 'apps', 'worker', 'dist', 'main.js'),
};

export function startKilnProcess(kind: keyof typeof entries, env: Record<string, string>): KilnProcess {
  const child = spawn(process.execPath, [entries[kind]], {
    cwd: repositoryRoot,
    // Processes must log: tests wait for their ready lines.
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { msg: text };
    }
    logs.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', (text) => stderr.push(text));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  return {
    child,
    logs,
    waitForLog(match, timeoutMs = 30_000) {
      const found = logs.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${kind}: no matching log line within ${timeoutMs} ms; stderr:\n${stderr.slice(-20).join('\n')}\nlast logs:\n${logs.slice(-10).map((l) => JSON.stringify(l)).join('\n')}`)), timeoutMs);
        waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${kind} exited (${code}) before the expected log line; stderr:\n${stderr.slice(-20).join('\n')}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Starts an api process on a free port; resolves with it and its base URL once it listens. */
export async function startApiProcess(env: Record<string, string>): Promise<KilnProcess & { url: string }> {
  const api = startKilnProcess('api', { PORT: '0', ...env });
  const ready = await readyOrKilled(api, 'api ready');
  return { ...api, url: String(ready.address) };
}

/** Starts a worker process; resolves once it takes jobs. */
export async function startWorkerProcess(env: Record<string, string>): Promise<KilnProcess> {
  const worker = startKilnProcess('worker', env);
  await readyOrKilled(worker, 'worker ready');
  return worker;
}

/** Waits for a process's ready line; a process that never gets ready is killed, never left running after the test. */
async function readyOrKilled(process: KilnProcess, message: string): Promise<Record<string, unknown>> {
  try {
    return await process.waitForLog((l) => l.msg === message);
  } catch (error) {
    await process.stop('SIGKILL');
    throw error;
  }
}
