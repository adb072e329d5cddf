import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createPrismaClient } from './client.js';
import { FencedError } from './fence.js';
import type { PrismaClient } from './generated/client.js';
import { listJobEvents } from './job-events.js';
import { type EpochRecord, type JobRun, cancelJob, completeJob, failJob, failOrphanedJob, handBackJob, recordBatch, recordEpoch, startAttempt } from './job-runs.js';
import { ensureTenant } from './tenants.js';

// The worker's writes against a real migrated database: fencing, one transaction per epoch with its checkpoint,
// one version per job, and a retried attempt redoing what came after the newest checkpoint.

let database: TestDatabase;
let db: PrismaClient;
let tenantId: string;
let modelId: string;
let datasetId: string;

beforeAll(async () => {
  database = await createMigratedDatabase('job_runs');
  db = createPrismaClient(database.url, { poolMax: 4 });
  tenantId = await ensureTenant(db, 'job-runs');
  const model = await db.model.create({ data: { tenantId, name: 'm', source: 'definition', definition: { type: 'Sequential', layers: [] }, summary: {} } });
  modelId = model.id;
  const dataset = await db.dataset.create({ data: { tenantId, name: 'd', format: 'csv', status: 'ready', rows: 2, featureShape: [3], labelShape: [1] } });
  datasetId = dataset.id;
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

async function newJob(epochs = 5): Promise<string> {
  const job = await db.job.create({
    data: { tenantId, modelId, datasetId, config: { initialWeights: null }, plan: {}, status: 'queued', epochs },
  });
  return job.id;
}

async function start(jobId: string): Promise<JobRun> {
  const started = await startAttempt(db, jobId);
  if (started.kind !== 'run') throw new Error(`expected a run, got ${started.kind}`);
  return started.run;
}

const epochRecord = (epoch: number, checkpoint: Uint8Array | null): EpochRecord => ({
  epoch,
  logs: { loss: 1 / (epoch + 1), accuracy: Number.NaN },
  learningRate: 0.001,
  durationMs: 10,
  samplesPerSecond: 100,
  diagnostics: [{ layer: 'dense', gradNorm: 1, gradNormMax: 2, weightNorm: 3 }],
  checkpoint,
});

const batchRecord = (epoch: number, batch: number) => ({
  epoch,
  batch,
  batches: 10,
  loss: 0.5,
  logs: { loss: 0.5 },
  diagnostics: null,
  progress: 0.1,
  etaSeconds: 3,
  samplesPerSecond: 1000,
});

describe('startAttempt', () => {
  it('starts attempt 1 with the dataset and model, and a status event', async () => {
    const jobId = await newJob();
    const started = await startAttempt(db, jobId);
    expect(started.kind).toBe('run');
    if (started.kind !== 'run') return;
    expect(started.run).toEqual({ id: jobId, tenantId, attempt: 1, epochs: 5 });
    expect(started.job.status).toBe('running');
    expect(started.job.startedAt).toBeInstanceOf(Date);
    expect(started.checkpoint).toBeNull();
    expect(started.model?.id).toBe(modelId);
    expect(started.dataset?.featureShape).toEqual([3]);
    expect(started.events.map((e) => [e.seq, e.type, e.data])).toEqual([[1, 'status', { status: 'running', attempt: 1, epoch: 0 }]]);
  });

  it('runs nothing for a missing or finished job, and cancels a job whose cancel was requested while queued', async () => {
    expect(await startAttempt(db, '00000000-0000-4000-8000-000000000000')).toEqual({ kind: 'skip', reason: 'missing', events: [], tenantId: null });
    const finished = await newJob();
    await db.job.update({ where: { id: finished }, data: { status: 'succeeded' } });
    expect(await startAttempt(db, finished)).toEqual({ kind: 'skip', reason: 'finished', events: [], tenantId });

    const flagged = await newJob();
    await db.job.update({ where: { id: flagged }, data: { cancelRequested: true } });
    const started = await startAttempt(db, flagged);
    expect(started.kind === 'skip' && started.reason).toBe('cancelled');
    expect(started.events.map((e) => e.type)).toEqual(['status', 'done']);
    expect((await db.job.findUniqueOrThrow({ where: { id: flagged } })).status).toBe('cancelled');
  });

  it('after a crash, deletes the epochs and batch samples beyond the newest checkpoint and resumes from it', async () => {
    const jobId = await newJob(6);
    const first = await start(jobId);
    for (let epoch = 0; epoch <= 3; epoch++) {
      await recordBatch(db, first, batchRecord(epoch, 3));
      // Checkpoints every 2 epochs: after 2 and 4 epochs... but the crash comes before the fourth epoch's commit.
      if (epoch < 3) await recordEpoch(db, first, epochRecord(epoch, (epoch + 1) % 2 === 0 ? new Uint8Array([epoch + 1]) : null));
    }
    // Attempt 1 died during epoch index 3 (its batch sample is there), with index 2 recorded after checkpoint 2.
    const second = await startAttempt(db, jobId);
    if (second.kind !== 'run') throw new Error('expected a run');
    expect(second.run.attempt).toBe(2);
    expect(second.checkpoint).toEqual({ epoch: 2, state: new Uint8Array([2]) });
    expect(second.checkpointLogs).toEqual({ loss: 0.5 });
    expect(second.job.epoch).toBe(2);
    expect((await db.jobEpoch.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } })).map((e) => e.epoch)).toEqual([0, 1]);
    expect((await db.jobBatchSample.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } })).map((b) => b.epoch)).toEqual([0, 1]);
    expect(second.events.at(-1)?.data).toEqual({ status: 'running', attempt: 2, epoch: 2 });
  });
});

describe('fencing', () => {
  it('rejects every write of a superseded attempt and changes nothing', async () => {
    const jobId = await newJob();
    const stale = await start(jobId);
    await recordEpoch(db, stale, epochRecord(0, new Uint8Array([1])));
    const current = await start(jobId); // a stall: another worker took the job
    const before = await snapshot(jobId);

    const writes = [
      () => recordBatch(db, stale, batchRecord(1, 1)),
      () => recordEpoch(db, stale, epochRecord(1, new Uint8Array([2]))),
      () => completeJob(db, stale, completion(2)),
      () => cancelJob(db, stale),
      () => failJob(db, stale, { code: 'X', message: 'x' }, { final: true }),
      () => handBackJob(db, stale),
    ];
    for (const write of writes) await expect(write()).rejects.toBeInstanceOf(FencedError);
    expect(await snapshot(jobId)).toEqual(before);
    // The current attempt still writes.
    await expect(recordEpoch(db, current, epochRecord(1, null))).resolves.toMatchObject({ cancelRequested: false });
  });

  it('returns cancelRequested with every write, so a lost cancel message is noticed', async () => {
    const jobId = await newJob();
    const run = await start(jobId);
    expect((await recordBatch(db, run, batchRecord(1, 1))).cancelRequested).toBe(false);
    await db.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
    expect((await recordBatch(db, run, batchRecord(1, 2))).cancelRequested).toBe(true);
    const cancelled = await cancelJob(db, run);
    expect(cancelled.events.map((e) => [e.type, (e.data as { status?: string }).status])).toEqual([['status', 'cancelled'], ['done', 'cancelled']]);
  });
});

describe('recordEpoch', () => {
  it('writes metrics, checkpoint, job epoch and events in one transaction, keeping the newest two checkpoints', async () => {
    const jobId = await newJob(4);
    const run = await start(jobId);
    for (let epoch = 0; epoch <= 2; epoch++) {
      const write = await recordEpoch(db, run, epochRecord(epoch, new Uint8Array((epoch + 1) * 10)));
      expect(write.events.map((e) => e.type)).toEqual(['epoch', 'diagnostics', 'checkpoint']);
    }
    expect((await db.checkpoint.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } })).map((c) => [c.epoch, c.sizeBytes])).toEqual([[2, 20], [3, 30]]);
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.epoch, job.progress]).toEqual([3, 0.75]);
    // NaN is no metric: dropped from the row and the event.
    const row = await db.jobEpoch.findUniqueOrThrow({ where: { jobId_epoch: { jobId, epoch: 2 } } });
    expect(row.logs).toEqual({ loss: 1 / 3 });
  });

  it('writes nothing when the transaction fails: metrics never without their checkpoint', async () => {
    const jobId = await newJob(4);
    const run = await start(jobId);
    // A checkpoint too large for a bytea (1 GB limit) is not needed: a fenced write fails after the epoch upsert
    // would have happened, so instead break the event append by taking the seq it will need.
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    await db.jobEvent.create({ data: { jobId, tenantId, seq: job.lastSeq + 2, type: 'status', data: {} } });
    await expect(recordEpoch(db, run, epochRecord(0, new Uint8Array([1])))).rejects.toThrow();
    expect(await db.jobEpoch.count({ where: { jobId } })).toBe(0);
    expect(await db.checkpoint.count({ where: { jobId } })).toBe(0);
    expect((await db.job.findUniqueOrThrow({ where: { id: jobId } })).epoch).toBe(0);
  });

  it('keeps the batch samples of the attempt that completed the epoch', async () => {
    const jobId = await newJob(3);
    const first = await start(jobId);
    await recordBatch(db, first, batchRecord(0, 2));
    await recordBatch(db, first, batchRecord(0, 7));
    const second = await start(jobId);
    await recordBatch(db, second, batchRecord(0, 2));
    await recordEpoch(db, second, epochRecord(0, null));
    expect((await db.jobBatchSample.findMany({ where: { jobId } })).map((b) => [b.batch, b.attempt])).toEqual([[2, 2]]);
  });
});

describe('returned events', () => {
  it('are exactly what the history replays (numbers of full precision included)', async () => {
    const jobId = await newJob(3);
    const run = await start(jobId);
    const returned = [
      ...(await recordBatch(db, run, { ...batchRecord(0, 1), loss: 0.18269230769230768, logs: { loss: 1 / 3 } })).events,
      ...(await recordEpoch(db, run, { ...epochRecord(0, new Uint8Array([1])), logs: { loss: 2 / 3, accuracy: 0.1 + 0.2 } })).events,
    ];
    const history = await listJobEvents(db, tenantId, jobId, { after: 1 });
    expect(returned).toEqual(history);
    expect(history[0]).toMatchObject({ type: 'batch', data: { loss: 0.18269230769230768, logs: { loss: 1 / 3 } } });
  });
});

describe('completeJob', () => {
  it('creates exactly one version per job, even when completion runs twice or concurrently', async () => {
    const jobId = await newJob(2);
    const run = await start(jobId);
    await recordEpoch(db, run, epochRecord(0, null));
    await recordEpoch(db, run, epochRecord(1, new Uint8Array([9])));
    const results = await Promise.all([completeJob(db, run, completion(2)), completeJob(db, run, completion(2))]);
    const again = await completeJob(db, run, completion(2));
    expect(results.map((r) => r.alreadyCompleted).sort()).toEqual([false, true]);
    expect(again.alreadyCompleted).toBe(true);
    const versions = await db.modelVersion.findMany({ where: { jobId } });
    expect(versions).toHaveLength(1);
    expect(new Set([...results, again].map((r) => r.modelVersion))).toEqual(new Set([versions[0]!.version]));
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.status, job.modelVersion, job.finalMetrics, job.progress]).toEqual(['succeeded', versions[0]!.version, { loss: 0.25 }, 1]);
    const events = await listJobEvents(db, tenantId, jobId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  });

  it('numbers versions of a model in order', async () => {
    const a = await start(await newJob(1));
    const b = await start(await newJob(1));
    const va = await completeJob(db, a, completion(1));
    const vb = await completeJob(db, b, completion(1));
    expect(vb.modelVersion).toBe(va.modelVersion + 1);
  });
});

describe('failJob, handBackJob, failOrphanedJob', () => {
  it('fails for good (final) or sends the job back to the queue with the error (not final)', async () => {
    const jobId = await newJob();
    const run = await start(jobId);
    const retry = await failJob(db, run, { code: 'TRAINER_CRASHED', message: 'exit 1' }, { final: false });
    expect(retry.events.map((e) => [e.type, e.data])).toEqual([['status', { status: 'queued', attempt: 1, epoch: 0, error: { code: 'TRAINER_CRASHED', message: 'exit 1' } }]]);
    const second = await start(jobId);
    expect((await db.job.findUniqueOrThrow({ where: { id: jobId } })).errorCode).toBeNull();
    const final = await failJob(db, second, { code: 'DIVERGED', message: 'loss NaN' }, { final: true });
    expect(final.events.map((e) => e.type)).toEqual(['status', 'done']);
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.status, job.errorCode, job.attempt]).toEqual(['failed', 'DIVERGED', 2]);
  });

  it('hands a job back as queued without an error', async () => {
    const jobId = await newJob();
    const run = await start(jobId);
    await handBackJob(db, run);
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.status, job.errorCode, job.attempt]).toEqual(['queued', null, 1]);
  });

  it('fails an orphaned job only if it is still at the attempt seen', async () => {
    const jobId = await newJob();
    await start(jobId);
    expect(await failOrphanedJob(db, { id: jobId, tenantId, attempt: 0 }, { code: 'STALLED', message: 's' })).toBeNull();
    const failed = await failOrphanedJob(db, { id: jobId, tenantId, attempt: 1 }, { code: 'STALLED', message: 's' });
    expect(failed?.events.map((e) => e.type)).toEqual(['status', 'done']);
  });
});

function completion(epoch: number) {
  return {
    epoch,
    weights: { manifest: [{ name: 'w', shape: [1], dtype: 'float32' }], data: new Uint8Array(4) },
    finalMetrics: { loss: 0.25 },
    classNames: null,
    featureStats: null,
    compile: { loss: 'mse' },
  };
}

async function snapshot(jobId: string) {
  const [job, epochs, samples, checkpoints, events, versions] = await Promise.all([
    db.job.findUniqueOrThrow({ where: { id: jobId } }),
    db.jobEpoch.findMany({ where: { jobId }, orderBy: { epoch: 'asc' } }),
    db.jobBatchSample.findMany({ where: { jobId } }),
    db.checkpoint.findMany({ where: { jobId } }),
    db.jobEvent.count({ where: { jobId } }),
    db.modelVersion.count({ where: { jobId } }),
  ]);
  // updatedAt moves when a fence locks the row (then rolls back); everything else must stay.
  return { job: { ...job, updatedAt: null }, epochs, samples, checkpoints, events, versions };
}
