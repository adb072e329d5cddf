/**
 * @kiln/datasets: streaming parsers for dataset uploads (CSV, JSON, NPY) that validate every value, emit float32
 * chunks as they go and return statistics; and the label encoding that feeds a stored dataset to a model.
 */
export { type ByteSource, DEFAULT_MAX_UPLOAD_BYTES, limitBytes, formatBytes } from './core/byte-source.js';
export { DatasetError, type DatasetErrorCode, type DatasetErrorDetails } from './core/dataset-error.js';
export type { ColumnStats } from './core/column-stats.js';
export {
  type ChunkHandler, type ChunkOptions, type DatasetChunk, type DatasetSummary, DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_ROWS,
} from './core/dataset-writer.js';
export { FLOAT32_MAX, isStorableFloat32 } from './core/float32.js';
export { MAX_COUNTED_CLASSES, MAX_STRING_CLASSES } from './core/label-collector.js';
export { type CsvDatasetOptions, MAX_ROW_BYTES, parseCsvDataset } from './csv/parse-csv.js';
export { type JsonDatasetOptions, parseJsonDataset } from './json/parse-json.js';
export { type NpyDatasetOptions, NpyDatasetBuilder, parseNpyDataset } from './npy/parse-npy.js';
export type { NpyDtype, NpyHeader } from './npy/npy-header.js';
export { type LossTargetKind, type LossTargets, lossTargets } from './encoding/loss-kind.js';
export { type ModelShapes, type PlanDataset, type TrainingDataPlan, planTrainingData } from './encoding/plan-training-data.js';
export { encodeTargets } from './encoding/encode-targets.js';
