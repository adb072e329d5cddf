import type { Env } from '@kiln/contracts';
import type { PrismaClient } from '@kiln/db';
import type { JobEventSubscriber, TrainingJobPayload } from '@kiln/queue';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Predictor } from './prediction/predictor.js';

/** Everything the api talks to, created by server.ts (or by a test) and handed to buildApp. */
export interface AppDeps {
  env: Env;
  db: PrismaClient;
  /** Fail-fast connection: publishing events and cancel requests, readiness. */
  redis: Redis;
  queue: Queue<TrainingJobPayload>;
  /** Live events of jobs, shared by every WebSocket of this process. */
  events: JobEventSubscriber;
  /** Until API keys arrive, every request acts for this tenant. */
  defaultTenantId: string;
  /** Runs predictions (cached models, off the event loop for large batches). */
  predictor: Predictor;
}
