import type { ModelRow, ModelVersionInfo } from '@kiln/db';

/** The public view of a model: its definition and summary (layers, output shapes, parameter counts). */
export function modelResponse(row: ModelRow) {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    definition: row.definition,
    summary: row.summary,
    latestVersion: row.latestVersion === 0 ? null : row.latestVersion,
    createdAt: row.createdAt.toISOString(),
  };
}

export function versionResponse(row: ModelVersionInfo) {
  return {
    modelId: row.modelId,
    version: row.version,
    jobId: row.jobId,
    sizeBytes: row.sizeBytes,
    metrics: row.metrics,
    classNames: row.classNames,
    featureStats: row.featureStats,
    createdAt: row.createdAt.toISOString(),
  };
}
