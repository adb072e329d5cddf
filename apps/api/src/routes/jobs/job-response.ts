import type { JobRow } from '@kiln/db';

/** The public view of a job: where it stands, how fast it goes, how it ended. */
export function jobResponse(row: JobRow) {
  return {
    id: row.id,
    status: row.status,
    attempt: row.attempt,
    modelId: row.modelId,
    datasetId: row.datasetId,
    validationDatasetId: row.validationDatasetId,
    epochs: row.epochs,
    /** Epochs completed. */
    epoch: row.epoch,
    /** Fraction of the requested batches done, 0..1. */
    progress: row.progress,
    samplesPerSecond: row.samplesPerSecond,
    etaSeconds: row.etaSeconds,
    finalMetrics: row.finalMetrics,
    modelVersion: row.modelVersion,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    cancelRequested: row.cancelRequested,
    /** Seq of the newest event: a stream opened with ?after=<lastSeq> gets only what happens next. */
    lastSeq: row.lastSeq,
    config: row.config,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
