/** Kiln's training worker: a BullMQ worker whose training runs in a worker thread (see main.ts for the process). */
export { startWorker, type RunningWorker, type StartWorkerOptions } from './start-worker.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { TRAINER_SCRIPT } from './trainer-handle.js';
