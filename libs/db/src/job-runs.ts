import type { JobError, JobEvent, NewJobEvent } from '@kiln/contracts';
import { fenceAttempt, FencedError } from './fence.js';
import { type Dataset, type Job, Prisma, type PrismaClient } from './generated/client.js';
import { appendJobEvents, insertJobEvents } from './job-events.js';
import { addModelVersion } from './models.js';
import { toBytes } from './bytes.js';

/*
 * The worker's writes. Each is one transaction fenced by the attempt number (fenceAttempt: status running and the
 * same attempt, else FencedError and nothing written), because BullMQ delivers at least once and a stalled worker can
 * keep going after another took its job. Each returns the events it appended, to publish after commit, and the job's
 * cancelRequested flag, so a worker learns of a cancel even when the pub/sub message was lost.
 *
 * Numbering follows Keras and the engine: JobEpoch.epoch and the epoch of `epoch`, `batch` and `diagnostics` events are
 * 0-based epoch indexes (batches too), while Job.epoch, Checkpoint.epoch and the epoch of `status`, `checkpoint` and
 * `done` events count completed epochs. The checkpoint written after epoch index k has epoch k + 1.
 */

/** The attempt a worker runs; every write below is fenced by it. */
export interface JobRun {
  id: string;
  tenantId: string;
  attempt: number;
  /** Epochs the job asked for. */
  epochs: number;
}

/** What every fenced write answers. */
export interface RunWrite {
  events: JobEvent[];
  cancelRequested: boolean;
}

/** Metrics by name (Keras logs). */
export type Logs = Record<string, number>;

/** Per-layer norms, as the engine reports them (the `diagnostics` event payload). */
export interface LayerDiagnostics {
  layer: string;
  gradNorm: number;
  gradNormMax: number;
  weightNorm: number;
}

/** Dataset metadata a worker needs before it reads the data. */
export type DatasetInfo = Pick<Dataset, 'id' | 'rows' | 'featureShape' | 'labelShape' | 'classNames' | 'featureStats'>;

/** startAttempt's answer: an attempt to run, or why there is nothing to run. */
export type StartedAttempt =
  | {
      kind: 'run';
      run: JobRun;
      /** The job row after the attempt started (config and plan unparsed: the caller validates them). */
      job: Job;
      events: JobEvent[];
      /** The newest checkpoint: training resumes at epoch index `epoch` (the number of epochs it holds). */
      checkpoint: { epoch: number; state: Uint8Array } | null;
      /** Logs of the checkpoint's epoch (the final metrics if every epoch was already done). */
      checkpointLogs: Logs | null;
      /** Null when the model row is gone. */
      model: { id: string; definition: unknown } | null;
      /** The version named by config.initialWeights; null when not asked for, or missing (the caller tells which). */
      initialWeights: { version: number; manifest: unknown; weights: Uint8Array } | null;
      /** Null when the dataset is gone (or not ready). */
      dataset: DatasetInfo | null;
      validationDataset: DatasetInfo | null;
    }
  | { kind: 'skip'; reason: 'missing' | 'finished' | 'cancelled'; events: JobEvent[]; tenantId: string | null };

const terminal = new Set(['succeeded', 'failed', 'cancelled']);
const datasetInfo = { id: true, rows: true, featureShape: true, labelShape: true, classNames: true, featureStats: true } as const;

/** Keeps finite numbers only: JSON has no NaN or Infinity, and a non-finite metric is no metric. */
export function finiteLogs(logs: Readonly<Record<string, number>>): Logs {
  return Object.fromEntries(Object.entries(logs).filter(([, v]) => Number.isFinite(v)));
}

const finiteOrNull = (value: number | null | undefined): number | null => (value !== null && value !== undefined && Number.isFinite(value) ? value : null);

/**
 * Starts the next attempt of a job: attempt + 1, status running, and the epochs and batch samples after the newest
 * checkpoint deleted (the new attempt redoes them). A job that is gone, finished, or whose cancel was requested while
 * it waited (then marked cancelled here) has nothing to run.
 */
export async function startAttempt(db: PrismaClient, jobId: string): Promise<StartedAttempt> {
  return db.$transaction(async (tx) => {
    // Touching the row locks it: two workers starting the same job (a stall) take turns, and both get an attempt.
    const { count } = await tx.job.updateMany({ where: { id: jobId }, data: { updatedAt: new Date() } });
    if (count === 0) return { kind: 'skip', reason: 'missing', events: [], tenantId: null };
    const current = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
    if (terminal.has(current.status)) return { kind: 'skip', reason: 'finished', events: [], tenantId: current.tenantId };
    if (current.cancelRequested) {
      await tx.job.update({ where: { id: jobId }, data: { status: 'cancelled', finishedAt: new Date(), etaSeconds: null } });
      const events = await appendJobEvents(tx, current, [
        { type: 'status', data: { status: 'cancelled', attempt: current.attempt, epoch: current.epoch } },
        { type: 'done', data: { status: 'cancelled', epoch: current.epoch, modelVersion: null, finalMetrics: null } },
      ]);
      return { kind: 'skip', reason: 'cancelled', events, tenantId: current.tenantId };
    }

    const newest = await tx.checkpoint.findFirst({ where: { jobId }, orderBy: { epoch: 'desc' }, select: { epoch: true } });
    const latest = newest ? { epoch: newest.epoch, state: await readCheckpointState(tx, jobId, newest.epoch) } : null;
    // Epoch indexes from resumeEpoch on are redone (index resumeEpoch - 1 is the last one the checkpoint holds).
    const resumeEpoch = latest?.epoch ?? 0;
    await tx.jobEpoch.deleteMany({ where: { jobId, epoch: { gte: resumeEpoch } } });
    await tx.jobBatchSample.deleteMany({ where: { jobId, epoch: { gte: resumeEpoch } } });
    const attempt = current.attempt + 1;
    const job = await tx.job.update({
      where: { id: jobId },
      data: {
        attempt,
        status: 'running',
        startedAt: current.startedAt ?? new Date(),
        epoch: resumeEpoch,
        progress: current.epochs > 0 ? resumeEpoch / current.epochs : 0,
        etaSeconds: null,
        samplesPerSecond: null,
        errorCode: null,
        errorMessage: null,
      },
    });
    const events = await appendJobEvents(tx, job, [{ type: 'status', data: { status: 'running', attempt, epoch: resumeEpoch } }]);
    const checkpointLogs = latest ? await tx.jobEpoch.findUnique({ where: { jobId_epoch: { jobId, epoch: latest.epoch - 1 } }, select: { logs: true } }) : null;

    const model = await tx.model.findFirst({ where: { id: job.modelId, tenantId: job.tenantId }, select: { id: true, definition: true } });
    const wanted = initialWeightsVersion(job.config);
    const version =
      wanted === null ? null : await tx.modelVersion.findFirst({ where: { modelId: job.modelId, tenantId: job.tenantId, version: wanted }, select: { id: true, version: true, manifest: true } });
    const initialWeights = version ? { version: version.version, manifest: version.manifest, weights: await readVersionWeights(tx, version.id) } : null;
    const findDataset = (id: string | null) => (id === null ? null : tx.dataset.findFirst({ where: { id, tenantId: job.tenantId, status: 'ready' }, select: datasetInfo }));

    return {
      kind: 'run',
      run: { id: job.id, tenantId: job.tenantId, attempt, epochs: job.epochs },
      job: { ...job, lastSeq: job.lastSeq + events.length },
      events,
      checkpoint: latest ? { epoch: latest.epoch, state: latest.state } : null,
      checkpointLogs: (checkpointLogs?.logs as Logs | undefined) ?? null,
      model,
      initialWeights,
      dataset: await findDataset(job.datasetId),
      validationDataset: await findDataset(job.validationDatasetId),
    };
  });
}

/*
 * Bytes are read as base64 text and decoded natively: Prisma's pg adapter turns a bytea result into an array of
 * numbers, one element per byte, which for checkpoints and weights of megabytes would hold the event loop.
 */
async function readCheckpointState(tx: Prisma.TransactionClient, jobId: string, epoch: number): Promise<Uint8Array> {
  const rows = await tx.$queryRaw<{ data: string }[]>`SELECT encode("state", 'base64') AS "data" FROM "Checkpoint" WHERE "jobId" = ${jobId}::uuid AND "epoch" = ${epoch}`;
  return fromBase64(rows[0]?.data, `checkpoint ${epoch} of job ${jobId}`);
}

async function readVersionWeights(tx: Prisma.TransactionClient, id: string): Promise<Uint8Array> {
  const rows = await tx.$queryRaw<{ data: string }[]>`SELECT encode("weights", 'base64') AS "data" FROM "ModelVersion" WHERE "id" = ${id}::uuid`;
  return fromBase64(rows[0]?.data, `model version ${id}`);
}

function fromBase64(data: string | undefined, what: string): Uint8Array {
  if (data === undefined) throw new Error(`${what} disappeared while it was read`);
  const bytes = Buffer.from(data, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** config.initialWeights.modelVersion of a stored job config, read loosely (the caller validates the config). */
function initialWeightsVersion(config: unknown): number | null {
  const initial = (config as { initialWeights?: { modelVersion?: unknown } | null } | null)?.initialWeights;
  return typeof initial?.modelVersion === 'number' ? initial.modelVersion : null;
}

/** A sampled batch as the worker records it (0-based epoch and batch indexes). */
export interface BatchRecord {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  /** Running epoch averages (Keras batch logs). */
  logs: Logs;
  /** Per-layer norms of a recent batch (its own number), when that batch carried them. */
  diagnostics: { batch: number; layers: LayerDiagnostics[] } | null;
  /** Fraction of the whole job done, 0..1. */
  progress: number;
  etaSeconds: number | null;
  samplesPerSecond: number | null;
}

/**
 * Records a sampled batch: its loss row (one per (epoch, batch)), the job's progress, and `batch` (+ `diagnostics`)
 * events. Raw SQL, like recordEpoch: these run several times a second on the worker's main thread, and Prisma's query
 * compiler costs about three times the CPU of the statements themselves there.
 */
export async function recordBatch(db: PrismaClient, run: JobRun, record: BatchRecord): Promise<RunWrite> {
  const events: NewJobEvent[] = [
    { type: 'batch', data: { epoch: record.epoch, batch: record.batch, batches: record.batches, loss: record.loss, logs: finiteLogs(record.logs) } },
  ];
  if (record.diagnostics) events.push({ type: 'diagnostics', data: { epoch: record.epoch, batch: record.diagnostics.batch, layers: record.diagnostics.layers } });
  return db.$transaction(async (tx) => {
    const fenced = await fencedJobUpdate(
      tx,
      run,
      Prisma.sql`"progress" = ${record.progress}, "etaSeconds" = ${finiteOrNull(record.etaSeconds)}, "samplesPerSecond" = ${finiteOrNull(record.samplesPerSecond)}, "batchesPerEpoch" = ${record.batches}`,
      events.length,
    );
    await tx.$executeRaw`
      INSERT INTO "JobBatchSample" ("jobId", "epoch", "batch", "tenantId", "attempt", "loss")
      VALUES (${run.id}::uuid, ${record.epoch}, ${record.batch}, ${run.tenantId}::uuid, ${run.attempt}, ${record.loss})
      ON CONFLICT ("jobId", "epoch", "batch") DO UPDATE SET "attempt" = EXCLUDED."attempt", "loss" = EXCLUDED."loss"`;
    return { events: await insertJobEvents(tx, run, fenced.firstSeq, events), cancelRequested: fenced.cancelRequested };
  });
}

/**
 * The attempt fence and the job row's update in one statement: sets `set` and reserves `eventCount` seqs if `run`
 * still owns the job (status running, same attempt), else FencedError. Locks the row until commit, so seqs stay
 * gap-free as in appendJobEvents.
 */
async function fencedJobUpdate(tx: Prisma.TransactionClient, run: JobRun, set: Prisma.Sql, eventCount: number): Promise<{ firstSeq: number; cancelRequested: boolean }> {
  const rows = await tx.$queryRaw<{ lastSeq: number; cancelRequested: boolean }[]>`
    UPDATE "Job" SET ${set}, "updatedAt" = now(), "lastSeq" = "lastSeq" + ${eventCount}
    WHERE "id" = ${run.id}::uuid AND "attempt" = ${run.attempt} AND "status" = 'running'
    RETURNING "lastSeq", "cancelRequested"`;
  const row = rows[0];
  if (!row) throw new FencedError(run.id, run.attempt);
  return { firstSeq: row.lastSeq - eventCount + 1, cancelRequested: row.cancelRequested };
}

/** A completed epoch as the worker records it, with the training state when a checkpoint is due. */
export interface EpochRecord {
  /** 0-based index; the job then has epoch + 1 epochs done. */
  epoch: number;
  logs: Logs;
  learningRate: number | null;
  durationMs: number;
  samplesPerSecond: number;
  diagnostics: LayerDiagnostics[];
  /** Training state after this epoch (weights, optimizer, RNG), stored as checkpoint epoch + 1; null when none is due. */
  checkpoint: Uint8Array | null;
}

/** How many checkpoints a job keeps: the newest, and the one before as a fallback. */
export const CHECKPOINTS_KEPT = 2;

/**
 * Records a completed epoch in one transaction: its metrics row, the checkpoint when one is due (older ones beyond the
 * newest two deleted), the job's epoch and progress, and the `epoch`, `diagnostics` and `checkpoint` events. A crash
 * never leaves an epoch's metrics without its checkpoint or the reverse. Raw SQL: see recordBatch.
 */
export async function recordEpoch(db: PrismaClient, run: JobRun, record: EpochRecord): Promise<RunWrite> {
  const logs = finiteLogs(record.logs);
  const learningRate = finiteOrNull(record.learningRate);
  const completed = record.epoch + 1;
  const events: NewJobEvent[] = [
    { type: 'epoch', data: { epoch: record.epoch, epochs: run.epochs, logs, learningRate, durationMs: record.durationMs, samplesPerSecond: record.samplesPerSecond } },
    { type: 'diagnostics', data: { epoch: record.epoch, batch: null, layers: record.diagnostics } },
  ];
  const state = record.checkpoint ? toBytes(record.checkpoint) : null;
  if (state) events.push({ type: 'checkpoint', data: { epoch: completed, sizeBytes: state.byteLength } });
  const progress = run.epochs > 0 ? Math.min(1, completed / run.epochs) : 1;

  return db.$transaction(async (tx) => {
    const fenced = await fencedJobUpdate(tx, run, Prisma.sql`"epoch" = ${completed}, "progress" = ${progress}`, events.length);
    await tx.$executeRaw`
      INSERT INTO "JobEpoch" ("jobId", "epoch", "tenantId", "attempt", "logs", "learningRate", "durationMs", "samplesPerSecond", "diagnostics")
      VALUES (${run.id}::uuid, ${record.epoch}, ${run.tenantId}::uuid, ${run.attempt}, ${JSON.stringify(logs)}::jsonb, ${learningRate},
              ${record.durationMs}, ${record.samplesPerSecond}, ${JSON.stringify(record.diagnostics)}::jsonb)
      ON CONFLICT ("jobId", "epoch") DO UPDATE SET "attempt" = EXCLUDED."attempt", "logs" = EXCLUDED."logs", "learningRate" = EXCLUDED."learningRate",
        "durationMs" = EXCLUDED."durationMs", "samplesPerSecond" = EXCLUDED."samplesPerSecond", "diagnostics" = EXCLUDED."diagnostics", "createdAt" = now()`;
    // The epoch keeps the batch samples of the attempt that completed it.
    await tx.$executeRaw`DELETE FROM "JobBatchSample" WHERE "jobId" = ${run.id}::uuid AND "epoch" = ${record.epoch} AND "attempt" <> ${run.attempt}`;
    if (state) {
      await tx.$executeRaw`
        INSERT INTO "Checkpoint" ("jobId", "epoch", "tenantId", "attempt", "state", "sizeBytes")
        VALUES (${run.id}::uuid, ${completed}, ${run.tenantId}::uuid, ${run.attempt}, ${state}, ${state.byteLength})
        ON CONFLICT ("jobId", "epoch") DO UPDATE SET "attempt" = EXCLUDED."attempt", "state" = EXCLUDED."state", "sizeBytes" = EXCLUDED."sizeBytes", "createdAt" = now()`;
      await tx.$executeRaw`
        DELETE FROM "Checkpoint" WHERE "jobId" = ${run.id}::uuid AND "epoch" < (
          SELECT min("epoch") FROM (SELECT "epoch" FROM "Checkpoint" WHERE "jobId" = ${run.id}::uuid ORDER BY "epoch" DESC LIMIT ${CHECKPOINTS_KEPT}) AS kept)`;
    }
    return { events: await insertJobEvents(tx, run, fenced.firstSeq, events), cancelRequested: fenced.cancelRequested };
  });
}

/** What a successful job leaves behind. */
export interface Completion {
  /** Epochs completed. */
  epoch: number;
  weights: { manifest: unknown; data: Uint8Array };
  /** Logs of the last epoch. */
  finalMetrics: Logs | null;
  /** Copied into the version, so predictions can answer with class names and the right preprocessing. */
  classNames: string[] | null;
  featureStats: unknown;
  compile: unknown;
}

/** completeJob's answer: the version the job produced (already there when completion ran before). */
export interface Completed extends RunWrite {
  modelVersion: number;
  alreadyCompleted: boolean;
}

/**
 * Completes a job: a new ModelVersion (numbered by incrementing Model.latestVersion), status succeeded with its final
 * metrics, and `status` + `done` events. Running it again for the same attempt returns the version already made
 * (ModelVersion.jobId is unique: one version per job, whatever happens).
 */
export async function completeJob(db: PrismaClient, run: JobRun, completion: Completion): Promise<Completed> {
  return db.$transaction(async (tx) => {
    try {
      await fenceAttempt(tx, run.id, run.attempt);
    } catch (error) {
      if (!(error instanceof FencedError)) throw error;
      const job = await tx.job.findUnique({ where: { id: run.id }, select: { status: true, attempt: true, modelVersion: true, cancelRequested: true } });
      if (job?.status === 'succeeded' && job.attempt === run.attempt && job.modelVersion !== null) {
        return { events: [], cancelRequested: job.cancelRequested, modelVersion: job.modelVersion, alreadyCompleted: true };
      }
      throw error;
    }
    const current = await tx.job.findUniqueOrThrow({ where: { id: run.id }, select: { modelId: true } });
    const version = await addModelVersion(tx, run.tenantId, current.modelId, {
      manifest: completion.weights.manifest,
      weights: completion.weights.data,
      metrics: completion.finalMetrics,
      classNames: completion.classNames,
      featureStats: completion.featureStats,
      compile: completion.compile,
      jobId: run.id,
    });
    const finalMetrics = completion.finalMetrics ? finiteLogs(completion.finalMetrics) : null;
    const job = await tx.job.update({
      where: { id: run.id },
      data: {
        status: 'succeeded',
        epoch: completion.epoch,
        progress: 1,
        etaSeconds: 0,
        finalMetrics: finalMetrics ?? undefined,
        modelVersion: version.version,
        finishedAt: new Date(),
      },
      select: { cancelRequested: true },
    });
    const events = await appendJobEvents(tx, run, [
      { type: 'status', data: { status: 'succeeded', attempt: run.attempt, epoch: completion.epoch } },
      { type: 'done', data: { status: 'succeeded', epoch: completion.epoch, modelVersion: version.version, finalMetrics } },
    ]);
    return { events, cancelRequested: job.cancelRequested, modelVersion: version.version, alreadyCompleted: false };
  });
}

/** Ends a job as cancelled (its checkpoints and metrics stay), with `status` + `done` events. */
export async function cancelJob(db: PrismaClient, run: JobRun): Promise<RunWrite> {
  return db.$transaction(async (tx) => {
    await fenceAttempt(tx, run.id, run.attempt);
    const job = await tx.job.update({ where: { id: run.id }, data: { status: 'cancelled', finishedAt: new Date(), etaSeconds: null }, select: { epoch: true, cancelRequested: true } });
    const events = await appendJobEvents(tx, run, [
      { type: 'status', data: { status: 'cancelled', attempt: run.attempt, epoch: job.epoch } },
      { type: 'done', data: { status: 'cancelled', epoch: job.epoch, modelVersion: null, finalMetrics: null } },
    ]);
    return { events, cancelRequested: job.cancelRequested };
  });
}

/**
 * Records a failed attempt. Final: status failed with the error, and `status` + `done` events. Not final: status
 * queued again with the error in a `status` event; the retry starts a new attempt from the newest checkpoint.
 */
export async function failJob(db: PrismaClient, run: JobRun, error: JobError, options: { final: boolean }): Promise<RunWrite> {
  return db.$transaction(async (tx) => {
    await fenceAttempt(tx, run.id, run.attempt);
    const status = options.final ? 'failed' : 'queued';
    const job = await tx.job.update({
      where: { id: run.id },
      data: { status, errorCode: error.code, errorMessage: error.message, etaSeconds: null, ...(options.final ? { finishedAt: new Date() } : {}) },
      select: { epoch: true, cancelRequested: true },
    });
    const events: NewJobEvent[] = [{ type: 'status', data: { status, attempt: run.attempt, epoch: job.epoch, error } }];
    if (options.final) events.push({ type: 'done', data: { status: 'failed', epoch: job.epoch, modelVersion: null, finalMetrics: null, error } });
    return { events: await appendJobEvents(tx, run, events), cancelRequested: job.cancelRequested };
  });
}

/** Hands a job back to the queue without a failure (a worker shutting down): status queued, a `status` event. */
export async function handBackJob(db: PrismaClient, run: JobRun): Promise<RunWrite> {
  return db.$transaction(async (tx) => {
    await fenceAttempt(tx, run.id, run.attempt);
    const job = await tx.job.update({ where: { id: run.id }, data: { status: 'queued', etaSeconds: null }, select: { epoch: true, cancelRequested: true } });
    const events = await appendJobEvents(tx, run, [{ type: 'status', data: { status: 'queued', attempt: run.attempt, epoch: job.epoch } }]);
    return { events, cancelRequested: job.cancelRequested };
  });
}

/**
 * Fails a job that no worker will finish (its BullMQ job failed without the worker recording it, e.g. stalled too
 * often), compare-and-set on the attempt the caller saw: nothing happens if the job moved on meanwhile.
 */
export async function failOrphanedJob(db: PrismaClient, job: { id: string; tenantId: string; attempt: number }, error: JobError): Promise<RunWrite | null> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: job.id, attempt: job.attempt, status: { in: ['queued', 'running'] } },
      data: { status: 'failed', errorCode: error.code, errorMessage: error.message, etaSeconds: null, finishedAt: new Date() },
    });
    if (count === 0) return null;
    const row = await tx.job.findUniqueOrThrow({ where: { id: job.id }, select: { epoch: true, cancelRequested: true } });
    const events = await appendJobEvents(tx, job, [
      { type: 'status', data: { status: 'failed', attempt: job.attempt, epoch: row.epoch, error } },
      { type: 'done', data: { status: 'failed', epoch: row.epoch, modelVersion: null, finalMetrics: null, error } },
    ]);
    return { events, cancelRequested: row.cancelRequested };
  });
}

/** Jobs Postgres says are queued or running, oldest update first: what the reconciler checks against BullMQ. */
export async function listActiveJobs(db: PrismaClient, options: { updatedBefore: Date; limit: number }) {
  return db.job.findMany({
    where: { status: { in: ['queued', 'running'] }, updatedAt: { lt: options.updatedBefore } },
    orderBy: { updatedAt: 'asc' },
    take: options.limit,
    select: { id: true, tenantId: true, attempt: true, status: true, updatedAt: true },
  });
}
