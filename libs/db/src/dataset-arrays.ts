import { endianness } from 'node:os';
import type { Db } from './job-events.js';

/** A stored dataset as arrays: what a trainer needs, read back from its chunks. */
export interface DatasetArrays {
  /** rows × prod(featureShape) values. */
  x: Float32Array;
  /** rows × prod(labelShape) values. */
  y: Float32Array;
  rows: number;
  featureShape: number[];
  labelShape: number[];
  classNames: string[] | null;
  featureStats: unknown;
}

/** A dataset's stored data does not add up (missing or short chunks): the upload that wrote it was broken. */
export class DatasetDataError extends Error {
  constructor(readonly datasetId: string, detail: string) {
    super(`dataset ${datasetId}: ${detail}`);
    this.name = 'DatasetDataError';
  }
}

const product = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/**
 * Reads a ready dataset of a tenant into float32 arrays, chunk by chunk in index order, checking that chunk indexes
 * have no gaps, that each chunk holds `rows × values per row` floats and that both parts add up to the dataset's rows.
 * Null when the dataset does not exist for this tenant (or is not ready).
 */
export async function readDatasetArrays(db: Db, tenantId: string, datasetId: string): Promise<DatasetArrays | null> {
  const dataset = await db.dataset.findFirst({
    where: { id: datasetId, tenantId, status: 'ready' },
    select: { rows: true, featureShape: true, labelShape: true, classNames: true, featureStats: true },
  });
  if (!dataset) return null;
  const [x, y] = await Promise.all([
    readPart(db, tenantId, datasetId, 'x', dataset.rows, product(dataset.featureShape)),
    readPart(db, tenantId, datasetId, 'y', dataset.rows, product(dataset.labelShape)),
  ]);
  return {
    x,
    y,
    rows: dataset.rows,
    featureShape: [...dataset.featureShape],
    labelShape: [...dataset.labelShape],
    classNames: Array.isArray(dataset.classNames) ? (dataset.classNames as string[]) : null,
    featureStats: dataset.featureStats,
  };
}

/** Chunks read per query: bounds the memory held by one page (chunks are at most a few MiB each). */
const CHUNKS_PER_PAGE = 8;

async function readPart(db: Db, tenantId: string, datasetId: string, part: 'x' | 'y', rows: number, perRow: number): Promise<Float32Array> {
  const out = new Float32Array(rows * perRow);
  const bytes = new Uint8Array(out.buffer);
  let row = 0;
  let next = 0;
  for (;;) {
    // Bytes travel as base64 text, decoded natively: Prisma's pg adapter turns a bytea result into an array of numbers,
    // one element per byte, which would hold the worker's event loop for seconds on a large dataset.
    const page = await db.$queryRaw<{ index: number; rows: number; data: string }[]>`
      SELECT "index", "rows", encode("data", 'base64') AS "data" FROM "DatasetChunk"
      WHERE "datasetId" = ${datasetId}::uuid AND "tenantId" = ${tenantId}::uuid AND "part" = ${part} AND "index" >= ${next}
      ORDER BY "index" LIMIT ${CHUNKS_PER_PAGE}`;
    for (const chunk of page) {
      const where = `part ${part}, chunk ${chunk.index}`;
      if (chunk.index !== next) throw new DatasetDataError(datasetId, `${where}: expected chunk index ${next} (chunks must be numbered 0, 1, 2... without gaps)`);
      const data = Buffer.from(chunk.data, 'base64');
      if (data.byteLength !== chunk.rows * perRow * 4) {
        throw new DatasetDataError(datasetId, `${where}: holds ${data.byteLength} bytes, expected ${chunk.rows} rows × ${perRow} values × 4 bytes = ${chunk.rows * perRow * 4}`);
      }
      if (row + chunk.rows > rows) throw new DatasetDataError(datasetId, `${where}: rows ${row + 1}..${row + chunk.rows} exceed the dataset's ${rows} rows`);
      bytes.set(data, row * perRow * 4);
      row += chunk.rows;
      next++;
    }
    if (page.length < CHUNKS_PER_PAGE) break;
  }
  if (row !== rows) throw new DatasetDataError(datasetId, `part ${part}: chunks hold ${row} rows, expected ${rows}`);
  // The bytes are little-endian float32; copying them into a Float32Array reads them natively only on little-endian hosts.
  if (endianness() === 'BE') {
    const view = new DataView(out.buffer);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}
