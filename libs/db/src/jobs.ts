import type { JobEvent } from '@kiln/contracts';
import { appendJobEvents, type Db } from './job-events.js';
import type { Job, Prisma, PrismaClient } from './generated/client.js';
import { afterCursor, decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';

export type JobRow = Job;

export interface NewJob {
  modelId: string;
  datasetId: string;
  validationDatasetId: string | null;
  config: unknown;
  plan: unknown;
  epochs: number;
  idempotencyKey: string | null;
  requestHash: string | null;
}

/** createJob's answer: the job, whether it already existed (an Idempotency-Key replay), and events to publish. */
export interface CreatedJob {
  job: JobRow;
  replayed: boolean;
  events: JobEvent[];
}

/**
 * Creates a queued job and its first event in one transaction. With an Idempotency-Key already used by the tenant,
 * returns the existing job instead (the unique index settles concurrent duplicates).
 */
export async function createJob(db: PrismaClient, tenantId: string, input: NewJob): Promise<CreatedJob> {
  if (input.idempotencyKey !== null) {
    const existing = await db.job.findFirst({ where: { tenantId, idempotencyKey: input.idempotencyKey } });
    if (existing) return { job: existing, replayed: true, events: [] };
  }
  try {
    return await db.$transaction(async (tx) => {
      const job = await tx.job.create({
        data: {
          tenantId,
          modelId: input.modelId,
          datasetId: input.datasetId,
          validationDatasetId: input.validationDatasetId,
          config: input.config as Prisma.InputJsonValue,
          plan: input.plan as Prisma.InputJsonValue,
          status: 'queued',
          epochs: input.epochs,
          idempotencyKey: input.idempotencyKey,
          requestHash: input.requestHash,
        },
      });
      const events = await appendJobEvents(tx, job, [{ type: 'status', data: { status: 'queued', attempt: 0, epoch: 0 } }]);
      return { job: { ...job, lastSeq: events.length }, replayed: false, events };
    });
  } catch (error) {
    if (input.idempotencyKey !== null && (error as { code?: string }).code === 'P2002') {
      const existing = await db.job.findFirst({ where: { tenantId, idempotencyKey: input.idempotencyKey } });
      if (existing) return { job: existing, replayed: true, events: [] };
    }
    throw error;
  }
}

/** Removes a job whose enqueueing failed, so that a 503 leaves nothing behind. */
export async function deleteUnqueuedJob(db: Db, tenantId: string, id: string): Promise<void> {
  await db.jobEvent.deleteMany({ where: { tenantId, jobId: id } });
  await db.job.deleteMany({ where: { id, tenantId, status: 'queued', attempt: 0 } });
}

export async function getJob(db: Db, tenantId: string, id: string): Promise<JobRow | null> {
  return db.job.findFirst({ where: { id, tenantId } });
}

export async function listJobs(db: Db, tenantId: string, page: PageRequest & { status?: string[] | undefined }): Promise<Page<JobRow> | null> {
  const cursor = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (page.cursor !== undefined && !cursor) return null;
  const rows = await db.job.findMany({
    where: { tenantId, ...(page.status ? { status: { in: page.status } } : {}), ...afterCursor(cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit);
}

/** What a cancel request did. */
export type CancelOutcome =
  | { kind: 'not-found' }
  | { kind: 'finished'; job: JobRow }
  /** It was still queued: cancelled right here. */
  | { kind: 'cancelled'; job: JobRow; events: JobEvent[] }
  /** It is running: flagged; the worker stops it within a batch and writes the final status. */
  | { kind: 'requested'; job: JobRow };

/** Cancels a queued job at once, or flags a running one for its worker. */
export async function requestCancel(db: PrismaClient, tenantId: string, id: string): Promise<CancelOutcome> {
  return db.$transaction(async (tx) => {
    const job = await tx.job.findFirst({ where: { id, tenantId } });
    if (!job) return { kind: 'not-found' };
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return { kind: 'finished', job };
    const now = new Date();
    const queued = await tx.job.updateMany({ where: { id, status: 'queued' }, data: { status: 'cancelled', cancelRequested: true, finishedAt: now } });
    if (queued.count === 1) {
      const events = await appendJobEvents(tx, job, [
        { type: 'status', data: { status: 'cancelled', attempt: job.attempt, epoch: job.epoch } },
        { type: 'done', data: { status: 'cancelled', epoch: job.epoch, modelVersion: null, finalMetrics: null } },
      ]);
      return { kind: 'cancelled', job: await tx.job.findUniqueOrThrow({ where: { id } }), events };
    }
    const updated = await tx.job.update({ where: { id }, data: { cancelRequested: true } });
    return { kind: 'requested', job: updated };
  });
}

export interface MetricsQuery {
  fromEpoch?: number | undefined;
  toEpoch?: number | undefined;
  /** Only these logged quantities (loss, val_accuracy...). */
  names?: string[] | undefined;
}

/** Per-epoch metrics and sampled batch losses of a job, by epoch. */
export async function getJobMetrics(db: Db, tenantId: string, jobId: string, query: MetricsQuery) {
  const epochRange = { gte: query.fromEpoch ?? 0, ...(query.toEpoch === undefined ? {} : { lte: query.toEpoch }) };
  const [epochs, batches] = await Promise.all([
    db.jobEpoch.findMany({ where: { tenantId, jobId, epoch: epochRange }, orderBy: { epoch: 'asc' } }),
    db.jobBatchSample.findMany({ where: { tenantId, jobId, epoch: epochRange }, orderBy: [{ epoch: 'asc' }, { batch: 'asc' }] }),
  ]);
  const pick = (logs: Record<string, number>) =>
    query.names ? Object.fromEntries(Object.entries(logs).filter(([k]) => query.names!.includes(k))) : logs;
  return {
    epochs: epochs.map((e) => ({
      epoch: e.epoch,
      logs: pick(e.logs as Record<string, number>),
      learningRate: e.learningRate,
      durationMs: e.durationMs,
      samplesPerSecond: e.samplesPerSecond,
      diagnostics: e.diagnostics,
    })),
    batches: !query.names || query.names.includes('loss') ? batches.map((b) => ({ epoch: b.epoch, batch: b.batch, loss: b.loss })) : [],
  };
}

export async function listCheckpoints(db: Db, tenantId: string, jobId: string) {
  return db.checkpoint.findMany({
    where: { tenantId, jobId },
    orderBy: { epoch: 'desc' },
    select: { epoch: true, attempt: true, sizeBytes: true, createdAt: true },
  });
}
