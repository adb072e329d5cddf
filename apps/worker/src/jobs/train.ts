import { type JobError, type JobEvent, type StoredJobConfig, storedJobConfigSchema } from '@kiln/contracts';
import type { TrainingDataPlan } from '@kiln/datasets';
import {
  cancelJob,
  completeJob,
  DatasetDataError,
  failJob,
  FencedError,
  handBackJob,
  type JobRun,
  type PrismaClient,
  readDatasetArrays,
  recordBatch,
  recordEpoch,
  startAttempt,
} from '@kiln/db';
import type { ModelDefinition, WeightSpec } from '@kiln/neural-engine';
import { publishJobEvents, type TrainingJobPayload, trainingJobPayloadSchema } from '@kiln/queue';
import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import type { Redis } from 'ioredis';
import { withDbRetry } from '../db-retry.js';
import type { Logger } from '../logger.js';
import { TrainerHandle } from '../trainer-handle.js';
import { type DoneMessage, StopSignal, type TrainerArrays, type TrainerResume } from '../trainer-protocol.js';

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
  trainerScript?: string;
  /** Test-only: the trainer thread of this attempt exits with code 1 after this batch (epoch and batch indexes). */
  fault?: { attempt: number; epoch: number; batch: number };
}

/** A job that cannot run as stored (retrying cannot help): it fails for good with this code. */
class InvalidJobError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'InvalidJobError';
  }
}

/**
 * The BullMQ processor of training jobs: starts an attempt in Postgres, reads the dataset, runs a trainer thread and
 * relays its reports to fenced Postgres writes and live events, then ends the job as Postgres and BullMQ both need:
 * succeeded, cancelled, handed back (shutdown: moveToWait + WaitingError, no attempt burnt), failed for good
 * (DIVERGED, invalid job: UnrecoverableError) or failed for a retry (a crashed trainer thread: thrown error).
 */
export function createTrainProcessor(deps: TrainDeps) {
  return async function train(job: Job<TrainingJobPayload>, token?: string): Promise<void> {
    const payload = trainingJobPayloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`BullMQ job ${job.id} carries ${JSON.stringify(job.data)}; expected {jobId: <uuid>}`);
    const jobId = payload.data.jobId;
    const log = deps.log.child({ jobId, bullAttempt: job.attemptsMade + 1 });
    const publish = (tenantId: string, events: readonly JobEvent[]) => {
      // Never awaited on the training path: a Redis outage must not stall Postgres writes or training.
      publishJobEvents(deps.publisher, deps.prefix, tenantId, events).catch((error: unknown) => log.warn('publishing events failed', { error, count: events.length }));
    };

    const started = await withDbRetry('startAttempt', () => startAttempt(deps.db, jobId), log);
    if (started.kind === 'skip') {
      log.info('nothing to run', { reason: started.reason });
      const tenantId = (await deps.db.job.findUnique({ where: { id: jobId }, select: { tenantId: true } }))?.tenantId;
      if (tenantId) publish(tenantId, started.events);
      return;
    }
    const { run } = started;
    publish(run.tenantId, started.events);
    const runLog = log.child({ attempt: run.attempt });
    runLog.info('attempt started', { resumeEpoch: started.checkpoint?.epoch ?? 0, epochs: run.epochs });
    const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

    const fail = async (error: JobError, final: boolean) => {
      const write = await withDbRetry('failJob', () => failJob(deps.db, run, error, { final }), runLog);
      publish(run.tenantId, write.events);
      runLog.warn(final ? 'job failed' : 'attempt failed; BullMQ retries it', { error });
    };

    let trainer: TrainerHandle | null = null;
    try {
      const { config, plan, start, transfer } = await prepareStart(deps, started, runLog);
      trainer = new TrainerHandle(
        {
          ...start,
          batchMessagesPerSecond: deps.batchMessagesPerSecond,
          fault: deps.fault && deps.fault.attempt === run.attempt ? { exitAt: { epoch: deps.fault.epoch, batch: deps.fault.batch } } : null,
        },
        transfer,
        deps.trainerScript,
      );
      deps.running.set(jobId, trainer);
      if (deps.isClosing()) trainer.stop(StopSignal.shutdown);
      const done = await relay(deps, run, trainer, runLog, publish);

      if (done.kind === 'crashed') {
        await fail({ code: 'TRAINER_CRASHED', message: done.message }, isFinalAttempt);
        throw new Error(done.message);
      }
      if (done.kind === 'failed') {
        if (done.invalid) {
          await fail({ code: 'INVALID_JOB', message: done.message }, true);
          throw new UnrecoverableError(done.message);
        }
        await fail({ code: 'TRAINING_ERROR', message: done.message }, isFinalAttempt);
        throw new Error(done.message);
      }
      await finish(deps, run, started.checkpointLogs, config, plan, started.dataset, done.message, trainer.stopSignal, runLog, publish, job, token);
    } catch (error) {
      if (error instanceof FencedError) {
        // Another attempt owns the job (this worker stalled and BullMQ gave the job to another): stop quietly.
        runLog.warn('attempt superseded; stopping without writing', { error });
        return;
      }
      if (error instanceof InvalidJobError) {
        await fail({ code: error.code, message: error.message }, true);
        throw new UnrecoverableError(error.message);
      }
      throw error;
    } finally {
      deps.running.delete(jobId);
      await trainer?.terminate();
    }
  };
}

type RelayEnd = { kind: 'done'; message: DoneMessage } | { kind: 'failed'; invalid: boolean; message: string } | { kind: 'crashed'; message: string };

/** Relays the trainer's reports to Postgres (fenced) and pub/sub, in order, until it ends. */
async function relay(deps: TrainDeps, run: JobRun, trainer: TrainerHandle, log: Logger, publish: (tenantId: string, events: readonly JobEvent[]) => void): Promise<RelayEnd> {
  const noticeCancel = (cancelRequested: boolean) => {
    // The flag in Postgres backs up the pub/sub cancel message, which is lost if it was sent while no one listened.
    if (cancelRequested && trainer.stopSignal !== StopSignal.cancel) {
      log.info('cancel requested; stopping');
      trainer.stop(StopSignal.cancel);
    }
  };
  for await (const event of trainer) {
    switch (event.type) {
      case 'batch': {
        const { type: _type, ...record } = event;
        const write = await withDbRetry('recordBatch', () => recordBatch(deps.db, run, record), log);
        publish(run.tenantId, write.events);
        noticeCancel(write.cancelRequested);
        break;
      }
      case 'epoch': {
        const { type: _type, ...record } = event;
        const write = await withDbRetry('recordEpoch', () => recordEpoch(deps.db, run, record), log);
        publish(run.tenantId, write.events);
        trainer.ack(event.epoch);
        log.debug('epoch recorded', { epoch: event.epoch, checkpointBytes: event.checkpoint?.byteLength ?? 0 });
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

/** Ends the attempt after the trainer said it is done: completed, stopped (cancel or shutdown), or diverged. */
async function finish(
  deps: TrainDeps,
  run: JobRun,
  checkpointLogs: Record<string, number> | null,
  config: StoredJobConfig,
  plan: TrainingDataPlan,
  dataset: { classNames: unknown; featureStats: unknown } | null,
  done: DoneMessage,
  stopSignal: StopSignal,
  log: Logger,
  publish: (tenantId: string, events: readonly JobEvent[]) => void,
  job: Job<TrainingJobPayload>,
  token: string | undefined,
): Promise<void> {
  if (done.outcome === 'diverged') {
    const error = { code: 'DIVERGED', message: done.message };
    const write = await withDbRetry('failJob', () => failJob(deps.db, run, error, { final: true }), log);
    publish(run.tenantId, write.events);
    log.warn('job diverged', { error });
    throw new UnrecoverableError(done.message);
  }
  if (done.outcome === 'stopped') {
    if (stopSignal === StopSignal.cancel) {
      const write = await withDbRetry('cancelJob', () => cancelJob(deps.db, run), log);
      publish(run.tenantId, write.events);
      log.info('job cancelled', { epoch: done.epoch });
      return;
    }
    // Shutdown: back to the queue without burning an attempt; the next worker resumes from the newest checkpoint.
    const write = await withDbRetry('handBackJob', () => handBackJob(deps.db, run), log);
    publish(run.tenantId, write.events);
    await job.moveToWait(token);
    log.info('job handed back', { epoch: done.epoch });
    throw new WaitingError();
  }
  const weights = done.weights!;
  const completed = await withDbRetry(
    'completeJob',
    () =>
      completeJob(deps.db, run, {
        epoch: done.epoch,
        weights,
        finalMetrics: done.finalMetrics ?? checkpointLogs,
        classNames: Array.isArray(dataset?.classNames) ? (dataset.classNames as string[]) : null,
        featureStats: dataset?.featureStats ?? null,
        compile: config.compile,
      }),
    log,
  );
  publish(run.tenantId, completed.events);
  log.info('job succeeded', { epoch: done.epoch, modelVersion: completed.modelVersion, finalMetrics: done.finalMetrics });
}

/** Reads and checks everything the trainer needs; InvalidJobError when the job cannot run as stored. */
async function prepareStart(deps: TrainDeps, started: Extract<Awaited<ReturnType<typeof startAttempt>>, { kind: 'run' }>, log: Logger) {
  const parsed = storedJobConfigSchema.safeParse(started.job.config);
  if (!parsed.success) throw new InvalidJobError('INVALID_JOB', `the stored job config is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const config = parsed.data;
  const plan = started.job.plan as TrainingDataPlan | null;
  if (!plan || typeof plan !== 'object' || !Array.isArray((plan as { targetShape?: unknown }).targetShape)) {
    throw new InvalidJobError('INVALID_JOB', `the stored training plan is invalid: expected {inputShape, targetEncoding, numClasses, targetShape}, found ${JSON.stringify(plan)}`);
  }
  if (!started.model) throw new InvalidJobError('MODEL_MISSING', `model ${started.job.modelId} of the job no longer exists`);
  if (!started.dataset) throw new InvalidJobError('DATASET_MISSING', `dataset ${started.job.datasetId} of the job no longer exists`);
  if (config.validationDatasetId && !started.validationDataset) throw new InvalidJobError('DATASET_MISSING', `validation dataset ${config.validationDatasetId} of the job no longer exists`);
  if (config.initialWeights && !started.initialWeights && !started.checkpoint) {
    throw new InvalidJobError('MODEL_VERSION_MISSING', `version ${config.initialWeights.modelVersion} of model ${started.job.modelId} (initialWeights) no longer exists`);
  }

  const read = async (id: string): Promise<TrainerArrays> => {
    try {
      const arrays = await withDbRetry('readDatasetArrays', () => readDatasetArrays(deps.db, started.run.tenantId, id), log);
      if (!arrays) throw new InvalidJobError('DATASET_MISSING', `dataset ${id} of the job no longer exists`);
      return { x: arrays.x, y: arrays.y, rows: arrays.rows };
    } catch (error) {
      if (error instanceof DatasetDataError) throw new InvalidJobError('INVALID_DATASET', error.message);
      throw error;
    }
  };
  const train = await read(started.dataset.id);
  const validation = started.validationDataset ? await read(started.validationDataset.id) : null;

  // Bytes from Postgres may be views of Node's shared Buffer pool: copy them before transferring their buffers away.
  let resume: TrainerResume = { kind: 'fresh' };
  if (started.checkpoint) resume = { kind: 'checkpoint', epoch: started.checkpoint.epoch, state: new Uint8Array(started.checkpoint.state) };
  else if (started.initialWeights) resume = { kind: 'weights', manifest: started.initialWeights.manifest as WeightSpec[], data: new Uint8Array(started.initialWeights.weights) };
  const transfer: ArrayBuffer[] = [train.x.buffer, train.y.buffer, ...(validation ? [validation.x.buffer, validation.y.buffer] : [])] as ArrayBuffer[];
  if (resume.kind === 'checkpoint') transfer.push(resume.state.buffer as ArrayBuffer);
  if (resume.kind === 'weights') transfer.push(resume.data.buffer as ArrayBuffer);

  const start = {
    definition: started.model.definition as ModelDefinition,
    compile: config.compile,
    fit: config.fit,
    plan,
    train,
    validation,
    resume,
  };
  return { config, plan, start, transfer };
}
