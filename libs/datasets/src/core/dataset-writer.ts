import { type ColumnStats, StatsAccumulator } from './column-stats.js';
import { DatasetError } from './dataset-error.js';
import type { CollectedLabels } from './label-collector.js';

/** One block of parsed samples, emitted in order and awaited (backpressure) before parsing continues. */
export interface DatasetChunk {
  part: 'x' | 'y';
  /** 0, 1, 2... per part. Chunk i of y covers the same rows as chunk i of x. */
  index: number;
  rows: number;
  /** rows × prod(shape) float32 values, row-major; a fresh array the receiver may keep. */
  data: Float32Array;
}

/** Receives chunks; parsing waits for the returned promise, so a slow store slows the upload instead of buffering. */
export type ChunkHandler = (chunk: DatasetChunk) => Promise<void>;

/** What every parser returns once the whole upload is valid and every chunk was emitted. */
export interface DatasetSummary {
  rows: number;
  /** Per-sample shape of x: [64] for a 64-column CSV, [28, 28, 1] for such JSON/NPY samples. */
  featureShape: number[];
  /** Per-sample shape of y: [1] for one label column or scalar labels. */
  labelShape: number[];
  /** CSV header names of the feature columns. */
  featureNames: string[] | null;
  labelNames: string[] | null;
  /** When labels were strings: y holds the index into this (sorted) list. */
  classNames: string[] | null;
  /** Count per class (name or integer) for one label column of at most 1024 integer or string classes. */
  classCounts: Record<string, number> | null;
  /** One per flattened feature position, named by the header or `x[j]`. */
  featureStats: ColumnStats[];
  labelStats: ColumnStats[];
}

/** Options shared by every parser. */
export interface ChunkOptions {
  /** Most rows per chunk (default 4096). */
  chunkRows?: number;
  /** Most bytes of float32 data per chunk (default 4 MiB); a single larger sample still makes a one-row chunk. */
  chunkBytes?: number;
  /** More samples than this is refused with TOO_MANY_ROWS (default: no limit beyond the byte limit). */
  maxRows?: number;
}

export const DEFAULT_CHUNK_ROWS = 4096;
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new DatasetError('INVALID_OPTIONS', `${name} must be a positive integer, received ${value}`);
  }
  return value;
}

/**
 * Collects x samples into chunks of bounded size, keeps per-position statistics, and at the end emits y aligned with
 * x's chunks and assembles the summary. At most one x chunk is held at a time.
 *
 * Parsers write a sample straight into `buffer` at `offset` (no per-row allocation) and call `commitRow()`, which
 * says when the chunk is full and `flush()` must be awaited.
 */
export class DatasetWriter {
  private readonly chunkRows: number;
  private readonly chunkBytes: number;
  private readonly maxRows: number;
  private width = 0;
  private rowsPerChunk = 0;
  private stats: StatsAccumulator | null = null;
  private chunkIndex = 0;
  private rowsInChunk = 0;
  private shape: number[] | null = null;
  private readonly queue: DatasetChunk[] = [];
  /** The chunk being filled: rowsPerChunk × width. */
  buffer = new Float32Array(0);
  /** Where the next sample goes in `buffer`. */
  offset = 0;
  /** Samples committed so far. */
  rows = 0;

  constructor(options: ChunkOptions, private readonly onChunk: ChunkHandler) {
    this.chunkRows = positiveInteger(options.chunkRows, DEFAULT_CHUNK_ROWS, 'chunkRows');
    this.chunkBytes = positiveInteger(options.chunkBytes, DEFAULT_CHUNK_BYTES, 'chunkBytes');
    this.maxRows = positiveInteger(options.maxRows, Number.MAX_SAFE_INTEGER, 'maxRows');
  }

  get started(): boolean {
    return this.shape !== null;
  }

  get featureShape(): number[] {
    if (!this.shape) throw new Error('DatasetWriter.start() was not called');
    return this.shape;
  }

  /** Fixes the per-sample shape of x (known from the CSV header, the first JSON sample or the NPY header). */
  start(featureShape: number[]): void {
    this.shape = featureShape;
    this.width = featureShape.reduce((a, b) => a * b, 1);
    this.rowsPerChunk = Math.max(1, Math.min(this.chunkRows, Math.floor(this.chunkBytes / (4 * this.width))));
    this.stats = new StatsAccumulator(this.width);
    this.buffer = new Float32Array(this.rowsPerChunk * this.width);
  }

  /** Rows in a full chunk. */
  get chunkCapacity(): number {
    return this.rowsPerChunk;
  }

  /** Counts the sample just written at `offset`; true when the chunk is full and flush() must be awaited. */
  commitRow(): boolean {
    if (this.rows >= this.maxRows) {
      throw new DatasetError('TOO_MANY_ROWS', `the dataset has more than ${this.maxRows} rows, the limit`, {
        row: this.rows + 1,
        details: { limit: this.maxRows },
      });
    }
    this.rows++;
    this.rowsInChunk++;
    this.offset += this.width;
    return this.rowsInChunk === this.rowsPerChunk;
  }

  /** Emits the rows gathered so far as the next x chunk and starts a new one. */
  async flush(): Promise<void> {
    this.rotate();
    await this.drain();
  }

  /**
   * Closes the current chunk without emitting it yet, for parsers that cannot await in the middle of a piece (the
   * JSON tokenizer): they call drain() after each bounded step, so at most a step's worth of chunks wait.
   */
  rotate(): void {
    const rows = this.rowsInChunk;
    if (rows === 0) return;
    const data = rows === this.rowsPerChunk ? this.buffer : this.buffer.slice(0, rows * this.width);
    this.stats!.addRows(data, rows);
    this.buffer = new Float32Array(this.rowsPerChunk * this.width);
    this.offset = 0;
    this.rowsInChunk = 0;
    this.queue.push({ part: 'x', index: this.chunkIndex++, rows, data });
  }

  /** Emits the chunks closed by rotate(), in order, awaiting each. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.onChunk(this.queue.shift()!);
  }

  /**
   * Flushes the last x chunk, emits y in chunks aligned with x's, and returns the summary. `labels.rows` must equal
   * the x rows (the parsers check and report it in their own terms).
   */
  async finish(labels: CollectedLabels, names: { featureNames: string[] | null; labelNames: string[] | null; labelShape: number[] }): Promise<DatasetSummary> {
    if (this.rows === 0 || !this.shape) throw new DatasetError('EMPTY_DATASET', 'the dataset has no samples');
    if (labels.rows !== this.rows) {
      throw new DatasetError('ROW_COUNT_MISMATCH', `x has ${this.rows} samples but y has ${labels.rows}; they must agree`);
    }
    await this.flush();
    const featureStats = this.stats!.result((j) => names.featureNames?.[j] ?? `x[${j}]`);
    const labelStats = new StatsAccumulator(labels.width);
    labelStats.addRows(labels.y, labels.rows);
    for (let index = 0, start = 0; start < labels.rows; index++, start += this.rowsPerChunk) {
      const rows = Math.min(this.rowsPerChunk, labels.rows - start);
      const data = labels.y.slice(start * labels.width, (start + rows) * labels.width);
      await this.onChunk({ part: 'y', index, rows, data });
    }
    return {
      rows: this.rows,
      featureShape: this.shape,
      labelShape: names.labelShape,
      featureNames: names.featureNames,
      labelNames: names.labelNames,
      classNames: labels.classNames,
      classCounts: labels.classCounts,
      featureStats,
      labelStats: labelStats.result((j) => names.labelNames?.[j] ?? `y[${j}]`),
    };
  }
}
