import { existsSync } from 'node:fs';
import type { Env } from '@kiln/contracts';
import { createPrismaClient } from '@kiln/db';
import { cancelChannel, createRedisConnection, createTrainingQueue, TRAINING_QUEUE, type TrainingJobPayload, waitForRedis } from '@kiln/queue';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTrainProcessor, type TrainDeps } from './jobs/train.js';
import { createLogger, type Logger } from './logger.js';
import { startReconciler } from './reconciler.js';
import { type TrainerHandle, TRAINER_SCRIPT } from './trainer-handle.js';
import { StopSignal } from './trainer-protocol.js';

/** Code-level options (tests); production configures the worker through the environment only. */
export interface StartWorkerOptions {
  logger?: Logger;
  /** How often the reconciler re-enqueues jobs that Postgres has as queued/running but BullMQ lost; 0 turns it off. */
  reconcileIntervalMs?: number;
  /** Jobs updated more recently than this are left alone by the reconciler (the api may be enqueueing them). */
  reconcileGraceMs?: number;
  /** Most batch events per second and job. */
  batchMessagesPerSecond?: number;
  /** Test-only: the trainer thread exits with code 1 at this attempt, epoch and batch. */
  fault?: TrainDeps['fault'];
  trainerScript?: string;
}

/** A started worker process (or in-process worker in tests). */
export interface RunningWorker {
  readonly worker: Worker<TrainingJobPayload>;
  /** Stops training at the next batch, hands running jobs back, closes everything; idempotent, bounded by WORKER_SHUTDOWN_TIMEOUT_MS. */
  close(): Promise<void>;
  /** One reconciler pass now; the number of jobs it re-enqueued or failed. */
  reconcile(): Promise<number>;
}

/**
 * Starts the training worker: Prisma, Redis connections, the BullMQ Worker (whose lock renewal is the reason training
 * runs in a thread), the cancel subscriber and the reconciler. Resolves once it is ready to take jobs.
 */
export async function startWorker(env: Env, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const log = options.logger ?? createLogger(env.LOG_LEVEL);
  const trainerScript = options.trainerScript ?? TRAINER_SCRIPT;
  if (!existsSync(trainerScript)) throw new Error(`trainer thread ${trainerScript} is missing: build the workspace first (npx tsc -b)`);

  // Connections: each job holds one at a time, plus the reconciler; keep the pool small (Postgres slots are budgeted).
  const db = createPrismaClient(env.DATABASE_URL, { applicationName: 'kiln-worker', poolMax: env.WORKER_CONCURRENCY + 2, transactionTimeoutMillis: 30_000 });
  const workerConnection = createRedisConnection(env.REDIS_URL, 'worker', 'kiln-worker');
  const publisher = createRedisConnection(env.REDIS_URL, 'producer', 'kiln-worker-publisher');
  const subscriber = createRedisConnection(env.REDIS_URL, 'subscriber', 'kiln-worker-cancel');
  const connections: Redis[] = [workerConnection, publisher, subscriber];
  const running = new Map<string, TrainerHandle>();
  let closing = false;

  try {
    await Promise.all(connections.map((c) => waitForRedis(c, 10_000)));
    await assertNoEviction(workerConnection);
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    await Promise.allSettled([...connections.map((c) => c.quit()), db.$disconnect()]);
    throw error;
  }

  const processor = createTrainProcessor({
    db,
    publisher,
    prefix: env.QUEUE_PREFIX,
    log,
    running,
    isClosing: () => closing,
    batchMessagesPerSecond: options.batchMessagesPerSecond ?? 4,
    backend: env.TRAINING_BACKEND,
    threads: env.TRAINING_THREADS,
    trainerScript,
    ...(options.fault ? { fault: options.fault } : {}),
  });
  const worker = new Worker<TrainingJobPayload>(TRAINING_QUEUE, processor, {
    connection: workerConnection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
    // One stall (a crashed worker) must not fail the job; the attempt fence keeps a stalled-but-alive worker harmless.
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('stalled', (jobId) => log.warn('job stalled: its worker stopped renewing the lock', { jobId }));
  worker.on('failed', (job, error) => log.warn('BullMQ job failed', { jobId: job?.id, attemptsMade: job?.attemptsMade, error }));
  worker.on('error', (error) => log.error('worker error', { error }));

  // The api publishes a job id here to cancel it; the Postgres flag (read on every write) backs up a lost message.
  subscriber.on('message', (_channel: string, jobId: string) => {
    const trainer = running.get(jobId);
    if (!trainer) return;
    log.info('cancel received', { jobId });
    trainer.stop(StopSignal.cancel);
  });
  await subscriber.subscribe(cancelChannel(env.QUEUE_PREFIX));

  const queue = createTrainingQueue(publisher, env.QUEUE_PREFIX);
  const reconciler = startReconciler({
    db,
    queue,
    publisher,
    prefix: env.QUEUE_PREFIX,
    log,
    intervalMs: options.reconcileIntervalMs ?? 30_000,
    graceMs: options.reconcileGraceMs ?? 10_000,
  });

  void worker.run().catch((error: unknown) => log.error('worker stopped unexpectedly', { error }));
  await worker.waitUntilReady();

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const deadline = Date.now() + env.WORKER_SHUTDOWN_TIMEOUT_MS;
      log.info('worker shutting down', { running: [...running.keys()] });
      reconciler.stop();
      for (const trainer of running.values()) trainer.stop(StopSignal.shutdown);
      // worker.close() waits for running jobs, which stop at the next batch and hand their job back.
      const graceful = await step('close BullMQ worker', () => withDeadline(worker.close(), deadline));
      if (!graceful) {
        log.warn('shutdown deadline passed; terminating trainers (their jobs will be found stalled and retried)');
        await Promise.allSettled([...running.values()].map((t) => t.terminate()));
        await step('force-close BullMQ worker', () => withDeadline(worker.close(true), Date.now() + 2_000));
      }
      await step('close queue', () => queue.close());
      for (const connection of connections) await step('close Redis connection', () => withDeadline(connection.quit().then(() => undefined), Date.now() + 2_000).then((ok) => (ok ? undefined : connection.disconnect())));
      await step('disconnect Postgres', () => db.$disconnect());
      log.info('worker closed');
    })();
    return closed;
  };

  // Each cleanup step is isolated: one failing must not leave the others undone.
  async function step<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      log.warn(`${what} failed`, { error });
      return undefined;
    }
  }

  log.info('worker ready', { queue: TRAINING_QUEUE, prefix: env.QUEUE_PREFIX, concurrency: env.WORKER_CONCURRENCY, lockDurationMs: env.WORKER_LOCK_DURATION_MS });
  return { worker, close, reconcile: () => reconciler.runOnce() };
}

/** Resolves true when `promise` settles before `deadline` (epoch ms), false otherwise. */
async function withDeadline(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * BullMQ needs `maxmemory-policy noeviction`: with eviction, Redis silently drops queue keys under memory pressure and
 * accepted jobs vanish (RELIABILITY row 9). Refuse to start otherwise.
 */
async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(`Redis maxmemory-policy is ${policy}; Kiln needs noeviction (CONFIG SET maxmemory-policy noeviction), or queued jobs can be evicted`);
  }
}
