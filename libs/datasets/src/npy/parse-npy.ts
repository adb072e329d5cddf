import type { ByteSource } from '../core/byte-source.js';
import { DatasetError } from '../core/dataset-error.js';
import { type ChunkHandler, type ChunkOptions, DatasetWriter, type DatasetSummary } from '../core/dataset-writer.js';
import { LabelCollector } from '../core/label-collector.js';
import { readNpy } from './npy-reader.js';

/** NPY parsing options (the chunking options shared by every format). */
export type NpyDatasetOptions = ChunkOptions;

/**
 * Parses an NPY pair: x (samples along the first axis) streamed into chunks, then y. `y` may be a function giving the
 * y stream once x has been read, as a multipart body delivers its parts one after the other.
 */
export async function parseNpyDataset(
  x: ByteSource,
  y: ByteSource | (() => Promise<ByteSource>),
  options: NpyDatasetOptions,
  onChunk: ChunkHandler,
): Promise<DatasetSummary> {
  const dataset = new NpyDatasetBuilder(options, onChunk);
  await dataset.readX(x);
  await dataset.readY(typeof y === 'function' ? await y() : y);
  return dataset.finish();
}

/**
 * The two parts of an NPY dataset, read in either order (a multipart body may send y first): x is streamed into
 * chunks, y is held (see LabelCollector). Sample counts are compared as soon as both headers are known, before the
 * second part's data is read.
 */
export class NpyDatasetBuilder {
  private readonly writer: DatasetWriter;
  private readonly labels = new LabelCollector();
  private readonly rows: { x: number | null; y: number | null } = { x: null, y: null };
  private readonly read = new Set<'x' | 'y'>();
  private labelShape: number[] = [1];

  constructor(private readonly options: NpyDatasetOptions, onChunk: ChunkHandler) {
    this.writer = new DatasetWriter(options, onChunk);
  }

  /** Streams the features. */
  async readX(source: ByteSource): Promise<void> {
    this.begin('x');
    const writer = this.writer;
    await readNpy(source, 'x', {
      header: (header, sampleShape) => {
        this.checkRows('x', header.shape[0]!);
        writer.start(sampleShape);
      },
      target: () => writer.buffer,
      targetOffset: () => writer.offset,
      sampleDone: () => (writer.commitRow() ? writer.flush() : undefined),
    });
  }

  /** Reads the labels (held until finish()). */
  async readY(source: ByteSource): Promise<void> {
    this.begin('y');
    let scratch = new Float32Array(0);
    await readNpy(source, 'y', {
      header: (header, sampleShape) => {
        this.checkRows('y', header.shape[0]!);
        this.labelShape = sampleShape;
        scratch = new Float32Array(sampleShape.reduce((a, b) => a * b, 1));
      },
      target: () => scratch,
      targetOffset: () => 0,
      sampleDone: () => this.labels.addNumbers(scratch),
    });
  }

  /** Emits y and returns the summary; both parts must have been read. */
  async finish(): Promise<DatasetSummary> {
    for (const part of ['x', 'y'] as const) {
      if (!this.read.has(part)) throw new DatasetError('MALFORMED_NPY', `the NPY upload has no "${part}" array; send x and y`, { column: part });
    }
    return this.writer.finish(this.labels.finish(), { featureNames: null, labelNames: null, labelShape: this.labelShape });
  }

  private begin(part: 'x' | 'y'): void {
    if (this.read.has(part)) throw new DatasetError('MALFORMED_NPY', `the NPY upload has two "${part}" arrays`, { column: part });
    this.read.add(part);
  }

  private checkRows(part: 'x' | 'y', rows: number): void {
    const { maxRows } = this.options;
    if (maxRows !== undefined && rows > maxRows) {
      throw new DatasetError('TOO_MANY_ROWS', `${part} has ${rows} samples; the limit is ${maxRows}`, { column: part, details: { limit: maxRows } });
    }
    this.rows[part] = rows;
    const { x, y } = this.rows;
    if (x !== null && y !== null && x !== y) {
      throw new DatasetError('ROW_COUNT_MISMATCH', `x has ${x} samples but y has ${y}; they must agree (the first axis of each array)`, {
        details: { xRows: x, yRows: y },
      });
    }
  }
}
