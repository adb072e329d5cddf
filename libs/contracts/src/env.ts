import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** Local defaults: `npm start` works with the Postgres and Redis of a development machine. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/kiln';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

// An empty variable (`PORT=`) means "not set", as in most shells' .env conventions.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const urlWithScheme = (schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      return schemes.includes(new URL(value).protocol.slice(0, -1));
    },
    // The value is not repeated: database URLs carry passwords.
    { error: `expected a ${schemes.map((s) => `${s}://`).join(' or ')} URL` },
  );

function positiveInteger(defaultValue: number) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[1-9]\d*$/, { error: (issue) => `expected a positive integer, received ${JSON.stringify(issue.input)}` })
      .transform(Number)
      .default(defaultValue),
  );
}

/** The process environment every Kiln process reads, once, at boot. */
export const envSchema = z.object({
  DATABASE_URL: z.preprocess(unsetIfEmpty, urlWithScheme(['postgresql', 'postgres']).default(DEFAULT_DATABASE_URL)),
  REDIS_URL: z.preprocess(unsetIfEmpty, urlWithScheme(['redis', 'rediss']).default(DEFAULT_REDIS_URL)),
  PORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, { error: (issue) => `expected a port number (0-65535), received ${JSON.stringify(issue.input)}` })
      .transform(Number)
      .pipe(z.number().max(65_535, { error: 'expected a port number (0-65535)' }))
      .default(3000),
  ),
  NODE_ENV: z.preprocess(unsetIfEmpty, z.enum(['development', 'test', 'production']).default('development')),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Interface the api listens on. */
  HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default('127.0.0.1')),
  /** Prefix of every Redis key and channel of this deployment (BullMQ prefix); tests use their own. */
  QUEUE_PREFIX: z.preprocess(unsetIfEmpty, z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected letters, digits, _ . -' }).default('kiln')),
  /** Largest dataset upload, in bytes (413 above it). */
  MAX_UPLOAD_BYTES: positiveInteger(1024 ** 3),
  /** Largest JSON body of any other route, in bytes. */
  MAX_BODY_BYTES: positiveInteger(32 * 1024 ** 2),
  /** Most rows (instances) in one prediction request. */
  PREDICT_MAX_ROWS: positiveInteger(10_000),
  /** Bytes of model weights the api keeps loaded for prediction (LRU). */
  MODEL_CACHE_BYTES: positiveInteger(512 * 1024 ** 2),
  /** Most parameters a model definition may have. */
  MAX_MODEL_PARAMS: positiveInteger(50_000_000),
  /** The engine backend the worker trains on: WebAssembly SIMD kernels, or the plain-TypeScript reference. */
  TRAINING_BACKEND: z.preprocess(unsetIfEmpty, z.enum(['wasm', 'js']).default('wasm')),
  /**
   * Threads one training job computes on with the WebAssembly backend: its trainer thread plus a pool of
   * TRAINING_THREADS - 1 worker_threads splitting the large kernels. Default: the machine's cores.
   */
  TRAINING_THREADS: positiveInteger(availableParallelism()),
  /** Jobs one worker process trains at once (training is CPU-bound: 1 per process, more processes to scale). */
  WORKER_CONCURRENCY: positiveInteger(1),
  /** BullMQ lock of a running job and how often stalled jobs are looked for (shortened in fault tests). */
  WORKER_LOCK_DURATION_MS: positiveInteger(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInteger(30_000),
  /** How long a stopping worker waits for its job to checkpoint and hand back before exiting anyway. */
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveInteger(25_000),
});

export type Env = z.output<typeof envSchema>;

/** Thrown by parseEnv; the message names every bad variable on its own line. */
export class EnvError extends Error {
  constructor(readonly issues: readonly { variable: string; message: string }[]) {
    super(`Invalid environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment (normally `process.env`), applying the local defaults; throws EnvError. */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })));
}
