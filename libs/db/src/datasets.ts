import { toBytes } from './bytes.js';
import type { Db } from './job-events.js';
import type { Dataset, Prisma } from './generated/client.js';
import { afterCursor, decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';

export type DatasetRow = Dataset;

/** What an upload learned about its data, stored when it completes. */
export interface DatasetMetadata {
  rows: number;
  sizeBytes: number;
  featureShape: number[];
  labelShape: number[];
  featureNames: string[] | null;
  labelNames: string[] | null;
  classNames: string[] | null;
  classCounts: Record<string, number> | null;
  featureStats: unknown;
  labelStats: unknown;
}

const json = (value: unknown) => (value === null ? undefined : (value as Prisma.InputJsonValue));

/** Starts an upload: a row in status `uploading`, invisible to reads until completeDatasetUpload. */
export async function beginDatasetUpload(db: Db, tenantId: string, input: { name: string; format: string }): Promise<string> {
  const row = await db.dataset.create({
    data: { tenantId, name: input.name, format: input.format, status: 'uploading', featureShape: [], labelShape: [] },
    select: { id: true },
  });
  return row.id;
}

/** Stores one chunk of an upload: float32 little-endian values of `rows` samples. */
export async function insertDatasetChunk(db: Db, tenantId: string, datasetId: string, chunk: { part: 'x' | 'y'; index: number; rows: number; data: Float32Array }): Promise<void> {
  const bytes = toBytes(chunk.data);
  await db.datasetChunk.create({ data: { datasetId, tenantId, part: chunk.part, index: chunk.index, rows: chunk.rows, data: bytes } });
}

/** Makes an upload visible with its metadata. */
export async function completeDatasetUpload(db: Db, tenantId: string, datasetId: string, meta: DatasetMetadata): Promise<DatasetRow> {
  await db.dataset.updateMany({
    where: { id: datasetId, tenantId, status: 'uploading' },
    data: {
      status: 'ready',
      rows: meta.rows,
      sizeBytes: BigInt(meta.sizeBytes),
      featureShape: meta.featureShape,
      labelShape: meta.labelShape,
      featureNames: json(meta.featureNames),
      labelNames: json(meta.labelNames),
      classNames: json(meta.classNames),
      classCounts: json(meta.classCounts),
      featureStats: json(meta.featureStats),
      labelStats: json(meta.labelStats),
    },
  });
  return db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
}

/** Deletes a failed upload with its chunks (nothing of a rejected dataset stays stored). */
export async function abortDatasetUpload(db: Db, tenantId: string, datasetId: string): Promise<void> {
  await db.dataset.deleteMany({ where: { id: datasetId, tenantId } });
}

/** Uploads left `uploading` by a process that died mid-request, older than the given age. */
export async function deleteAbandonedUploads(db: Db, olderThanMs: number): Promise<number> {
  const { count } = await db.dataset.deleteMany({ where: { status: 'uploading', createdAt: { lt: new Date(Date.now() - olderThanMs) } } });
  return count;
}

export async function getDataset(db: Db, tenantId: string, id: string): Promise<DatasetRow | null> {
  return db.dataset.findFirst({ where: { id, tenantId, status: 'ready' } });
}

/** Datasets of a tenant, newest first; null when the cursor is not valid. */
export async function listDatasets(db: Db, tenantId: string, page: PageRequest): Promise<Page<DatasetRow> | null> {
  const cursor = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (page.cursor !== undefined && !cursor) return null;
  const rows = await db.dataset.findMany({
    where: { tenantId, status: 'ready', ...afterCursor(cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit);
}

/** Jobs still queued or running that read the dataset (it cannot be deleted under them). */
export async function activeJobsUsingDataset(db: Db, tenantId: string, datasetId: string): Promise<string[]> {
  const jobs = await db.job.findMany({
    where: { tenantId, status: { in: ['queued', 'running'] }, OR: [{ datasetId }, { validationDatasetId: datasetId }] },
    select: { id: true },
  });
  return jobs.map((j) => j.id);
}

/** Deletes a dataset and its chunks; false when the tenant has no such dataset. */
export async function deleteDataset(db: Db, tenantId: string, id: string): Promise<boolean> {
  const { count } = await db.dataset.deleteMany({ where: { id, tenantId, status: 'ready' } });
  return count > 0;
}
