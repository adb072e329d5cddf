import type { JobError, JobEvent } from '@kiln/contracts';
import { cancelJob, completeJob, failJob, FencedError, handBackJob, type JobRun, type PrismaClient, recordBatch, recordEpoch, type StartedAttempt, startAttempt } from '@kiln/db';
import { publishJobEvents, type TrainingJobPayload, trainingJobPayloadSchema } from '@kiln/queue';
import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import type { Redis } from 'ioredis';
import { withDbRetry } from '../db-retry.js';
import type { Logger } from '../logger.js';
import { TrainerHandle } from '../trainer-handle.js';
import { type DoneMessage, StopSignal } from '../trainer-protocol.js';
import { InvalidJobError, type PreparedStart, prepareStart } from './prepare-start.js';

/** What the training processor needs from the worker process. */
export interface TrainDeps {
  db: PrismaClient;
  /** Publishes committed events (fails fast: the event log in Postgres is the record, pub/sub only the live feed). */
  publisher: Redis;
  prefix: string;
  log: Logger;
  /** Running trainers by job id, so a cancel message or a shutdown can reach them. */
  running: Map<string, TrainerHandle>;
  /** True once the worker is shutting down: a job picked up now is handed straight back. */
  isClosing: () => boolean;
  batchMessagesPerSecond: number;
  /** The engine backend trainer threads train on. */
  backend: 'wasm' | 'js';
  /** Threads each training job computes on (TRAINING_THREADS; the WebAssembly backend only). */
  threads: number;
  trainerScript?: string;
  /** Test-only: the trainer thread of this attempt exits with code 1 after this batch (epoch and batch indexes). */
  fault?: { attempt: number; epoch: number; batch: number };
}

/** One attempt being run: its fenced identity, its logger, and how its committed events go out. */
interface RunContext {
  deps: TrainDeps;
  run: JobRun;
  log: Logger;
  publish(events: readonly JobEvent[]): void;
  /** Set once the attempt's end (failure, hand-back) is written, so an error thrown after it is not recorded twice. */
  ended: boolean;
}

/**
 * The BullMQ processor of training jobs: starts an attempt in Postgres, reads the dataset, runs a trainer thread and
 * relays its reports to fenced Postgres writes and live events, then ends the job as Postgres and BullMQ both need:
 * succeeded, cancelled, handed back (shutdown: moveToWait + WaitingError, no attempt burnt), failed for good
 * (DIVERGED, invalid job: UnrecoverableError) or failed for a retry (a crashed trainer thread: thrown error).
 * A FencedError anywhere means another attempt owns the job: this one stops without another write.
 */
export function createTrainProcessor(deps: TrainDeps) {
  return async function train(job: Job<TrainingJobPayload>, token?: string): Promise<void> {
    const payload = trainingJobPayloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`BullMQ job ${job.id} carries ${JSON.stringify(job.data)}; expected {jobId: <uuid>}`);
    const jobId = payload.data.jobId;
    const log = deps.log.child({ jobId, bullAttempt: job.attemptsMade + 1 });

    const started = await withDbRetry('startAttempt', () => startAttempt(deps.db, jobId), log);
    if (started.kind === 'skip') {
      log.info('nothing to run', { reason: started.reason });
      if (started.tenantId) publishQuietly(deps, log, started.tenantId, started.events);
      return;
    }
    const ctx: RunContext = {
      deps,
      run: started.run,
      log: log.child({ attempt: started.run.attempt }),
      publish: (events) => publishQuietly(deps, log, started.run.tenantId, events),
      ended: false,
    };
    ctx.publish(started.events);
    ctx.log.info('attempt started', { resumeEpoch: started.checkpoint?.epoch ?? 0, epochs: started.run.epochs });

    let trainer: TrainerHandle | null = null;
    try {
      const prepared = await prepareStart(deps, started, ctx.log);
      trainer = startTrainer(ctx, prepared);
      deps.running.set(jobId, trainer);
      if (deps.isClosing()) trainer.stop(StopSignal.shutdown);
      const end = await relay(ctx, trainer);
      await finish(ctx, end, { started, prepared, stopSignal: trainer.stopSignal, job, token });
    } catch (error) {
      if (error instanceof FencedError) {
        // Another attempt owns the job (this worker stalled and BullMQ gave the job to another): stop quietly.
        ctx.log.warn('attempt superseded; stopping without writing', { error });
        return;
      }
      if (error instanceof InvalidJobError) {
        await fail(ctx, { code: error.code, message: error.message }, true);
        throw new UnrecoverableError(error.message);
      }
      if (!ctx.ended) {
        // Anything else (a database down past the retries): record the failed attempt if the database lets us, so
        // the job does not read `running` until the retry; BullMQ retries it either way.
        const message = error instanceof Error ? error.message : String(error);
        await fail(ctx, { code: 'WORKER_ERROR', message }, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)).catch((failure: unknown) =>
          ctx.log.warn('could not record the failed attempt', { error: failure }),
        );
      }
      throw error;
    } finally {
      deps.running.delete(jobId);
      await trainer?.terminate();
    }
  };
}

/** Publishes committed events without waiting: a Redis outage must not stall Postgres writes or training. */
function publishQuietly(deps: TrainDeps, log: Logger, tenantId: string, events: readonly JobEvent[]): void {
  if (events.length === 0) return;
  publishJobEvents(deps.publisher, deps.prefix, tenantId, events).catch((error: unknown) => log.warn('publishing events failed', { error, count: events.length }));
}

function startTrainer(ctx: RunContext, prepared: PreparedStart): TrainerHandle {
  const fault = ctx.deps.fault;
  return new TrainerHandle(
    {
      ...prepared.start,
      batchMessagesPerSecond: ctx.deps.batchMessagesPerSecond,
      backend: ctx.deps.backend,
      threads: ctx.deps.threads,
      fault: fault && fault.attempt === ctx.run.attempt ? { exitAt: { epoch: fault.epoch, batch: fault.batch } } : null,
    },
    prepared.transfer,
    ctx.deps.trainerScript,
  );
}

type RelayEnd = { kind: 'done'; message: DoneMessage } | { kind: 'failed'; invalid: boolean; message: string } | { kind: 'crashed'; message: string };

/** Relays the trainer's reports to Postgres (fenced) and pub/sub, in order, until it ends. */
async function relay(ctx: RunContext, trainer: TrainerHandle): Promise<RelayEnd> {
  const { db } = ctx.deps;
  const noticeCancel = (cancelRequested: boolean) => {
    // The flag in Postgres backs up the pub/sub cancel message, which is lost if it was sent while no one listened.
    if (cancelRequested && trainer.stopSignal !== StopSignal.cancel) {
      ctx.log.info('cancel requested; stopping');
      trainer.stop(StopSignal.cancel);
    }
  };
  for await (const event of trainer) {
    switch (event.type) {
      case 'batch': {
        // Behind a slow database, only the newest waiting batch is worth writing.
        if (trainer.hasNewerBatch()) break;
        const { type: _type, ...record } = event;
        const write = await withDbRetry('recordBatch', () => recordBatch(db, ctx.run, record), ctx.log);
        ctx.publish(write.events);
        noticeCancel(write.cancelRequested);
        break;
      }
      case 'epoch': {
        const { type: _type, ...record } = event;
        const write = await withDbRetry('recordEpoch', () => recordEpoch(db, ctx.run, record), ctx.log);
        ctx.publish(write.events);
        trainer.ack(event.epoch);
        ctx.log.debug('epoch recorded', { epoch: event.epoch, checkpointBytes: event.checkpoint?.byteLength ?? 0 });
        noticeCancel(write.cancelRequested);
        break;
      }
      case 'done':
        return { kind: 'done', message: event };
      case 'failed':
        return { kind: 'failed', invalid: event.invalid, message: `${event.name}: ${event.message}` };
      case 'error':
        return { kind: 'crashed', message: `the trainer thread crashed: ${event.error.message}` };
      case 'exit':
        return { kind: 'crashed', message: `the trainer thread exited with code ${event.code} before training ended` };
    }
  }
  return { kind: 'crashed', message: 'the trainer thread ended without a word' };
}

async function fail(ctx: RunContext, error: JobError, final: boolean): Promise<void> {
  ctx.ended = true;
  const write = await withDbRetry('failJob', () => failJob(ctx.deps.db, ctx.run, error, { final }), ctx.log);
  ctx.publish(write.events);
  ctx.log.warn(final ? 'job failed' : 'attempt failed; BullMQ retries it', { error });
}

/**
 * Ends the attempt as the trainer ended: completed (a model version), cancelled, handed back (shutdown), diverged
 * (failed for good), invalid (failed for good), or crashed/errored (failed; retried unless it was the last attempt).
 */
async function finish(
  ctx: RunContext,
  end: RelayEnd,
  context: { started: Extract<StartedAttempt, { kind: 'run' }>; prepared: PreparedStart; stopSignal: StopSignal; job: Job<TrainingJobPayload>; token: string | undefined },
): Promise<void> {
  const { db } = ctx.deps;
  const { job, token } = context;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (end.kind === 'crashed') {
    await fail(ctx, { code: 'TRAINER_CRASHED', message: end.message }, lastAttempt);
    throw new Error(end.message);
  }
  if (end.kind === 'failed') {
    await fail(ctx, { code: end.invalid ? 'INVALID_JOB' : 'TRAINING_ERROR', message: end.message }, end.invalid || lastAttempt);
    throw end.invalid ? new UnrecoverableError(end.message) : new Error(end.message);
  }
  const done = end.message;
  if (done.outcome === 'diverged') {
    await fail(ctx, { code: 'DIVERGED', message: done.message }, true);
    throw new UnrecoverableError(done.message);
  }
  if (done.outcome === 'stopped' && context.stopSignal === StopSignal.cancel) {
    const write = await withDbRetry('cancelJob', () => cancelJob(db, ctx.run), ctx.log);
    ctx.publish(write.events);
    ctx.log.info('job cancelled', { epoch: done.epoch });
    return;
  }
  if (done.outcome === 'stopped') {
    // Shutdown: back to the queue without burning an attempt; the next worker resumes from the newest checkpoint.
    ctx.ended = true;
    const write = await withDbRetry('handBackJob', () => handBackJob(db, ctx.run), ctx.log);
    ctx.publish(write.events);
    await job.moveToWait(token);
    ctx.log.info('job handed back', { epoch: done.epoch });
    throw new WaitingError();
  }
  const { started, prepared } = context;
  const classNames = started.dataset?.classNames;
  const completed = await withDbRetry(
    'completeJob',
    () =>
      completeJob(db, ctx.run, {
        epoch: done.epoch,
        weights: done.weights!,
        // Every epoch was done before this attempt (it crashed between the last epoch and completion): the
        // checkpoint's epoch has the final metrics.
        finalMetrics: done.finalMetrics ?? started.checkpointLogs,
        classNames: Array.isArray(classNames) ? (classNames as string[]) : null,
        featureStats: started.dataset?.featureStats ?? null,
        compile: prepared.config.compile,
      }),
    ctx.log,
  );
  ctx.publish(completed.events);
  ctx.log.info('job succeeded', { epoch: done.epoch, modelVersion: completed.modelVersion, finalMetrics: done.finalMetrics });
}
