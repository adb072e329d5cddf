import type { DatasetRow } from '@kiln/db';

/** The public view of a dataset (whitelisted fields; sizes as numbers). */
export function datasetResponse(row: DatasetRow) {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    rows: row.rows,
    sizeBytes: Number(row.sizeBytes),
    featureShape: row.featureShape,
    labelShape: row.labelShape,
    featureNames: row.featureNames,
    labelNames: row.labelNames,
    classNames: row.classNames,
    classCounts: row.classCounts,
    featureStats: row.featureStats,
    labelStats: row.labelStats,
    createdAt: row.createdAt.toISOString(),
  };
}
