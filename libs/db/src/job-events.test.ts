import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createPrismaClient } from './client.js';
import type { PrismaClient } from './generated/client.js';
import { appendJobEvents, listJobEvents } from './job-events.js';

let database: TestDatabase;
let db: PrismaClient;

beforeAll(async () => {
  database = await createMigratedDatabase('job_events');
  db = createPrismaClient(database.url);
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('the job event log', () => {
  it('gives concurrent appends gap-free seqs, and returns exactly what the history replays (numbers included)', async () => {
    const tenant = await db.tenant.create({ data: { name: 't' } });
    const job = await db.job.create({ data: { tenantId: tenant.id, modelId: tenant.id, config: {}, plan: {}, status: 'running', epochs: 1 } });
    const logs = { loss: 0.18269230769230768, accuracy: 1 / 3 };
    const appended = (
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          db.$transaction((tx) => appendJobEvents(tx, job, [{ type: 'batch', data: { epoch: 0, batch: i, batches: 20, loss: Math.PI * i, logs } }])),
        ),
      )
    ).flat();
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const history = await listJobEvents(db, tenant.id, job.id);
    expect(history).toEqual([...appended].sort((a, b) => a.seq - b.seq));
    expect(await listJobEvents(db, tenant.id, job.id, { after: 18 })).toHaveLength(2);
    // Another tenant sees nothing of it.
    const other = await db.tenant.create({ data: { name: 'other' } });
    expect(await listJobEvents(db, other.id, job.id)).toEqual([]);
  });
});
