import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Env, parseEnv, type StoredJobConfig } from '@kiln/contracts';
import { createJob, createPrismaClient, ensureTenant, type PrismaClient } from '@kiln/db';
import type { ModelDefinition } from '@kiln/neural-engine';
import { createRedisConnection, createTrainingQueue, enqueueTraining, type TrainingJobPayload, waitForRedis, deleteKeysWithPrefix } from '@kiln/queue';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createMigratedDatabase, repositoryRoot, type TestDatabase } from '../../../../test/support/test-database.js';

/*
 * Test fixture of the worker tests: a migrated database and a Redis key prefix of their own (both removed by close),
 * digits datasets stored as the api stores them (float32 chunks), and job rows as the api creates them.
 */

export interface WorkerFixture {
  env: Env;
  database: TestDatabase;
  db: PrismaClient;
  /** Producer connection (enqueue, publish). */
  redis: Redis;
  queue: Queue<TrainingJobPayload>;
  tenantId: string;
  close(): Promise<void>;
}


export async function createWorkerFixture(label: string, overrides: Record<string, string> = {}): Promise<WorkerFixture> {
  const database = await createMigratedDatabase(label);
  const prefix = `kiln-test-${label}-${randomUUID().slice(0, 8)}`;
  const env = parseEnv({ ...process.env, DATABASE_URL: database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...overrides });
  const db = createPrismaClient(env.DATABASE_URL, { applicationName: `kiln-test-${label}`, poolMax: 4 });
  const redis = createRedisConnection(env.REDIS_URL, 'producer', `kiln-test-${label}`);
  await waitForRedis(redis);
  const tenantId = await ensureTenant(db);
  const queue = createTrainingQueue(redis, prefix);
  return {
    env,
    database,
    db,
    redis,
    queue,
    tenantId,
    async close() {
      await queue.close();
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** A CSV of test/datasets (header row, label last) as float32 features and labels. */
export function readDigits(file: 'digits_train.csv' | 'digits_test.csv'): { x: Float32Array; y: Float32Array; rows: number } {
  const lines = readFileSync(path.join(repositoryRoot, 'test', 'datasets', file), 'utf8').trim().split('\n').slice(1);
  const x = new Float32Array(lines.length * 64);
  const y = new Float32Array(lines.length);
  lines.forEach((line, i) => {
    const values = line.split(',').map(Number);
    if (values.length !== 65) throw new Error(`${file} line ${i + 2}: ${values.length} columns, expected 65`);
    x.set(values.slice(0, 64), i * 64);
    y[i] = values[64]!;
  });
  return { x, y, rows: lines.length };
}

/** Stores the digits training set as a ready dataset, in chunks of `chunkRows` rows. */
export async function storeDigits(db: PrismaClient, tenantId: string, chunkRows = 500): Promise<string> {
  const { x, y, rows } = readDigits('digits_train.csv');
  const dataset = await db.dataset.create({
    data: {
      tenantId,
      name: 'digits',
      format: 'csv',
      status: 'ready',
      rows,
      featureShape: [64],
      labelShape: [1],
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
  });
  for (let index = 0, row = 0; row < rows; index++, row += chunkRows) {
    const n = Math.min(chunkRows, rows - row);
    const chunk = (a: Float32Array, width: number) => new Uint8Array(a.slice(row * width, (row + n) * width).buffer);
    await db.datasetChunk.create({ data: { datasetId: dataset.id, tenantId, part: 'x', index, rows: n, data: chunk(x, 64) } });
    await db.datasetChunk.create({ data: { datasetId: dataset.id, tenantId, part: 'y', index, rows: n, data: chunk(y, 1) } });
  }
  return dataset.id;
}

/**
 * The digits MLP: Normalization (adapted by the worker, one mean and variance overall) → Dense → softmax (or logits,
 * for a loss with fromLogits).
 */
export function digitsModel(hidden = 64, output: 'softmax' | 'logits' = 'softmax'): ModelDefinition {
  return {
    type: 'Sequential',
    seed: 3,
    layers: [
      { type: 'Normalization', axis: null, inputShape: [64] },
      { type: 'Dense', units: hidden, activation: 'relu' },
      { type: 'Dense', units: 10, ...(output === 'softmax' ? { activation: 'softmax' } : {}) },
    ],
  } as ModelDefinition;
}

export const digitsPlan = { inputShape: [64], targetEncoding: 'index', numClasses: 10, targetShape: [1] };

export interface JobOptions {
  definition?: ModelDefinition;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Replaces Adam(learningRate). */
  optimizer?: StoredJobConfig['compile']['optimizer'];
  /** Replaces sparse_categorical_crossentropy. */
  loss?: StoredJobConfig['compile']['loss'];
  checkpointEvery?: number;
  validationSplit?: number;
}

/** A queued job row (and its first event) as the api creates it; not enqueued. */
export async function createDigitsJob(fx: WorkerFixture, datasetId: string, options: JobOptions = {}): Promise<string> {
  const definition = options.definition ?? digitsModel();
  const model = await fx.db.model.create({ data: { tenantId: fx.tenantId, name: 'digits', source: 'definition', definition: definition as object, summary: {} } });
  const epochs = options.epochs ?? 5;
  const config: StoredJobConfig = {
    compile: { optimizer: options.optimizer ?? { type: 'Adam', learningRate: options.learningRate ?? 0.003 }, loss: options.loss ?? 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
    fit: {
      epochs,
      batchSize: options.batchSize ?? 32,
      shuffle: true,
      seed: 11,
      validationSplit: options.validationSplit ?? 0,
      callbacks: [],
      checkpointEvery: options.checkpointEvery ?? 1,
    },
    validationDatasetId: null,
    initialWeights: null,
  } as StoredJobConfig;
  const { job } = await createJob(fx.db, fx.tenantId, {
    modelId: model.id,
    datasetId,
    validationDatasetId: null,
    config,
    plan: digitsPlan,
    epochs,
    idempotencyKey: null,
    requestHash: null,
  });
  return job.id;
}

/** Creates and enqueues a digits job. */
export async function submitDigitsJob(fx: WorkerFixture, datasetId: string, options: JobOptions = {}): Promise<string> {
  const jobId = await createDigitsJob(fx, datasetId, options);
  await enqueueTraining(fx.queue, jobId);
  return jobId;
}

/** Polls the job row until `until` holds (default: a terminal status); throws after timeoutMs. Returns the full row. */
export async function waitForJob(db: PrismaClient, jobId: string, until: (job: { status: string; epoch: number; attempt: number }) => boolean = (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status), timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A narrow select every 100 ms: the polling runs on the event loop the tests measure.
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, epoch: true, attempt: true } });
    if (until(job)) return db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} (attempt ${job.attempt}, epoch ${job.epoch}) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the BullMQ state of a job until it is `state` (BullMQ moves a job only after the processor returned). */
export async function waitForBullState(queue: Queue<TrainingJobPayload>, jobId: string, state: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await queue.getJobState(jobId);
    if (current === state) return;
    if (Date.now() > deadline) throw new Error(`BullMQ job ${jobId} is ${current}, not ${state}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
