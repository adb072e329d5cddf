import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createPrismaClient } from './client.js';
import { DatasetDataError, readDatasetArrays } from './dataset-arrays.js';
import type { PrismaClient } from './generated/client.js';
import { ensureTenant } from './tenants.js';

let database: TestDatabase;
let db: PrismaClient;
let tenantId: string;

beforeAll(async () => {
  database = await createMigratedDatabase('dataset_arrays');
  db = createPrismaClient(database.url, { poolMax: 2 });
  tenantId = await ensureTenant(db, 'arrays');
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

async function dataset(chunks: { part: 'x' | 'y'; index: number; rows: number; values: number[] }[], rows = 3) {
  const row = await db.dataset.create({
    data: { tenantId, name: 'd', format: 'csv', status: 'ready', rows, featureShape: [2], labelShape: [1], classNames: ['a', 'b'] },
  });
  for (const c of chunks) await db.datasetChunk.create({ data: { datasetId: row.id, tenantId, part: c.part, index: c.index, rows: c.rows, data: bytes(c.values) } });
  return row.id;
}

describe('readDatasetArrays', () => {
  it('concatenates the chunks of each part in index order', async () => {
    const id = await dataset([
      { part: 'x', index: 1, rows: 1, values: [5, 6] },
      { part: 'x', index: 0, rows: 2, values: [1, 2, 3, 4] },
      { part: 'y', index: 0, rows: 3, values: [0, 1, 0] },
    ]);
    const arrays = await readDatasetArrays(db, tenantId, id);
    expect(arrays && [...arrays.x]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(arrays && [...arrays.y]).toEqual([0, 1, 0]);
    expect(arrays).toMatchObject({ rows: 3, featureShape: [2], labelShape: [1], classNames: ['a', 'b'] });
  });

  it('is null for another tenant', async () => {
    const id = await dataset([{ part: 'x', index: 0, rows: 3, values: [1, 2, 3, 4, 5, 6] }, { part: 'y', index: 0, rows: 3, values: [0, 1, 0] }]);
    const other = await ensureTenant(db, 'someone-else');
    expect(await readDatasetArrays(db, other, id)).toBeNull();
  });

  it('says which part and chunk is wrong when rows or bytes do not add up', async () => {
    const missing = await dataset([{ part: 'x', index: 0, rows: 2, values: [1, 2, 3, 4] }, { part: 'y', index: 0, rows: 3, values: [0, 1, 0] }]);
    await expect(readDatasetArrays(db, tenantId, missing)).rejects.toThrow(/part x: chunks hold 2 rows, expected 3/);
    const gap = await dataset([{ part: 'x', index: 0, rows: 3, values: [1, 2, 3, 4, 5, 6] }, { part: 'y', index: 1, rows: 3, values: [0, 1, 0] }]);
    await expect(readDatasetArrays(db, tenantId, gap)).rejects.toThrow(/part y, chunk 1: expected chunk index 0/);
    const short = await dataset([{ part: 'x', index: 0, rows: 3, values: [1, 2, 3, 4, 5] }, { part: 'y', index: 0, rows: 3, values: [0, 1, 0] }]);
    await expect(readDatasetArrays(db, tenantId, short)).rejects.toBeInstanceOf(DatasetDataError);
    await expect(readDatasetArrays(db, tenantId, short)).rejects.toThrow(/holds 20 bytes, expected 3 rows × 2 values × 4 bytes = 24/);
  });
});
