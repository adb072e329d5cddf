import { failOrphanedJob, listActiveJobs, type PrismaClient } from '@kiln/db';
import { enqueueTraining, publishJobEvents, type TrainingJobPayload } from '@kiln/queue';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

export interface ReconcilerDeps {
  db: PrismaClient;
  queue: Queue<TrainingJobPayload>;
  publisher: Redis;
  prefix: string;
  log: Logger;
  /** 0 turns the timer off (runOnce still works). */
  intervalMs: number;
  /** Jobs updated more recently are skipped: the api may be between creating a row and enqueueing it. */
  graceMs: number;
}

/**
 * Postgres is the record, Redis only the queue: after Redis lost data (a restart without the last second of AOF, a
 * flush) or BullMQ gave up on a job (stalled too often) without the worker writing it, Postgres still says
 * queued/running. Every interval, such jobs are re-enqueued under the same BullMQ jobId (idempotent: several workers
 * may reconcile at once), or failed when BullMQ has failed them for good.
 */
export function startReconciler(deps: ReconcilerDeps): { stop(): void; runOnce(): Promise<number> } {
  let running: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    running ??= reconcile(deps).finally(() => (running = null));
    return running;
  };
  const timer =
    deps.intervalMs > 0
      ? setInterval(() => {
          runOnce().catch((error: unknown) => deps.log.warn('reconciler pass failed', { error }));
        }, deps.intervalMs)
      : null;
  timer?.unref();
  return { stop: () => timer && clearInterval(timer), runOnce };
}

async function reconcile(deps: ReconcilerDeps): Promise<number> {
  const jobs = await listActiveJobs(deps.db, { updatedBefore: new Date(Date.now() - deps.graceMs), limit: 500 });
  let repaired = 0;
  for (const job of jobs) {
    const state = await deps.queue.getJobState(job.id);
    if (state === 'unknown') {
      await enqueueTraining(deps.queue, job.id);
      deps.log.warn('reconciler re-enqueued a job BullMQ had lost', { jobId: job.id, status: job.status, attempt: job.attempt });
      repaired++;
    } else if (state === 'completed') {
      // The BullMQ job ended but Postgres was never told (it cannot happen through the processor): run it again.
      await deps.queue.remove(job.id);
      await enqueueTraining(deps.queue, job.id);
      deps.log.warn('reconciler re-enqueued a job BullMQ had completed', { jobId: job.id, status: job.status });
      repaired++;
    } else if (state === 'failed') {
      const bullJob = await deps.queue.getJob(job.id);
      const reason = bullJob?.failedReason ?? 'unknown';
      const write = await failOrphanedJob(deps.db, job, { code: 'WORKER_LOST', message: `the queue gave up on the job: ${reason}` });
      if (write) {
        await publishJobEvents(deps.publisher, deps.prefix, job.tenantId, write.events).catch(() => {});
        deps.log.warn('reconciler failed a job BullMQ had failed without recording it', { jobId: job.id, reason });
        repaired++;
      }
    }
  }
  return repaired;
}
