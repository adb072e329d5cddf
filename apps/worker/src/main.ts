import { parseEnv } from '@kiln/contracts';
import { createLogger } from './logger.js';
import { startWorker } from './start-worker.js';

/*
 * The worker process: `node apps/worker/dist/main.js`, configured by the environment only. Logs JSON lines to stdout,
 * `{"msg":"worker ready"}` once it takes jobs. SIGTERM/SIGINT: stop training at the next batch, hand jobs back, close
 * within WORKER_SHUTDOWN_TIMEOUT_MS, exit 0.
 */

const env = parseEnv(process.env);
const log = createLogger(env.LOG_LEVEL);

process.on('unhandledRejection', (error) => log.error('unhandled rejection', { error }));

try {
  const running = await startWorker(env, { logger: log });
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      // A second signal: the operator does not want to wait.
      log.warn('second signal; exiting now', { signal });
      process.exit(1);
    }
    log.info('signal received', { signal });
    // The hard stop backs up close()'s own deadline, should something in it hang.
    setTimeout(() => process.exit(1), env.WORKER_SHUTDOWN_TIMEOUT_MS + 5_000).unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (error) {
  log.error('worker failed to start', { error: error instanceof Error ? { name: error.name, message: error.message } : String(error) });
  process.exit(1);
}
