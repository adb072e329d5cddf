import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { TRAINING_QUEUE } from './names.js';
import type { TrainingJobPayload } from './payload.js';

/** How often BullMQ retries a job whose attempt failed (a crashed trainer thread, a lost database); DIVERGED is never retried. */
export const TRAINING_ATTEMPTS = 3;

/** The producer side of the training queue. */
export function createTrainingQueue(connection: Redis, prefix: string): Queue<TrainingJobPayload> {
  return new Queue<TrainingJobPayload>(TRAINING_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: TRAINING_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1_000 },
      // Postgres is the record; finished BullMQ jobs are kept only briefly for inspection.
      removeOnComplete: { age: 3_600, count: 1_000 },
      removeOnFail: { age: 24 * 3_600 },
    },
  });
}

/** Enqueues a job row by id; idempotent, since the BullMQ jobId is the row id. */
export async function enqueueTraining(queue: Queue<TrainingJobPayload>, jobId: string): Promise<void> {
  await queue.add('train', { jobId }, { jobId });
}
