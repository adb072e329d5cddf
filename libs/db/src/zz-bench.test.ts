import { afterAll, beforeAll, it } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createPrismaClient } from './client.js';
import type { PrismaClient } from './generated/client.js';
import { recordBatch, recordEpoch, startAttempt } from './job-runs.js';
import { ensureTenant } from './tenants.js';
let database: TestDatabase; let db: PrismaClient;
beforeAll(async () => { database = await createMigratedDatabase('zz_bench'); db = createPrismaClient(database.url, { poolMax: 4 }); });
afterAll(async () => { await db?.$disconnect(); await database?.drop(); });
it('bench', async () => {
  const tenantId = await ensureTenant(db, 'b');
  const model = await db.model.create({ data: { tenantId, name: 'm', source: 'definition', definition: {}, summary: {} } });
  const job = await db.job.create({ data: { tenantId, modelId: model.id, config: {}, plan: {}, status: 'queued', epochs: 1000 } });
  const s = await startAttempt(db, job.id); if (s.kind !== 'run') throw new Error();
  const measure = async (name: string, n: number, fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn(100000 + i);
    const c0 = process.cpuUsage(); const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    const c = process.cpuUsage(c0); const t = performance.now() - t0;
    console.log(`${name}: wall ${(t / n).toFixed(2)} ms, cpu ${((c.user + c.system) / 1000 / n).toFixed(2)} ms per call`);
  };
  await measure('recordBatch', 200, (i) => recordBatch(db, s.run, { epoch: i, batch: 1, batches: 10, loss: 1, logs: { loss: 1, accuracy: 0.5 }, diagnostics: null, progress: 0.1, etaSeconds: 1, samplesPerSecond: 1 }));
  const state = new Uint8Array(120_000);
  await measure('recordEpoch+checkpoint', 100, (i) => recordEpoch(db, s.run, { epoch: i, logs: { loss: 1, accuracy: 0.5 }, learningRate: 0.001, durationMs: 1, samplesPerSecond: 1, diagnostics: [{ layer: 'd', gradNorm: 1, gradNormMax: 1, weightNorm: 1 }, { layer: 'e', gradNorm: 1, gradNormMax: 1, weightNorm: 1 }], checkpoint: state }));
  await measure('select 1 raw', 200, () => db.$queryRaw`SELECT 1`);
  await measure('job.findUnique', 200, () => db.job.findUnique({ where: { id: job.id }, select: { status: true } }));
}, 120_000);
