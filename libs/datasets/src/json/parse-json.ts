import { type ByteSource, asBytes } from '../core/byte-source.js';
import { DatasetError } from '../core/dataset-error.js';
import { type ChunkHandler, type ChunkOptions, DatasetWriter, type DatasetSummary } from '../core/dataset-writer.js';
import { LabelCollector } from '../core/label-collector.js';
import { type JsonEvents, JsonTokenizer } from './json-tokenizer.js';
import { SampleReader } from './sample-reader.js';

/** JSON parsing options (the chunking options shared by every format). */
export type JsonDatasetOptions = ChunkOptions;

/** Bytes tokenized between two chances to emit chunks: bounds the x chunks waiting in memory. */
const STEP_BYTES = 64 * 1024;

/**
 * Parses `{"x": [...samples], "y": [...labels]}` (keys in either order) as it streams in, without JSON.parse on the
 * body. Samples of x are numbers or nested arrays of numbers, all nested like x[0]; labels are numbers, class-name
 * strings or nested arrays. x is emitted in chunks while parsing, y at the end.
 */
export async function parseJsonDataset(source: ByteSource, options: JsonDatasetOptions, onChunk: ChunkHandler): Promise<DatasetSummary> {
  const writer = new DatasetWriter(options, onChunk);
  const labels = new LabelCollector();
  const handler = new JsonDatasetHandler(writer, labels, options.maxRows);
  const tokenizer = new JsonTokenizer(handler, () => handler.path());
  handler.numberText = () => tokenizer.numberText();
  for await (const piece of asBytes(source)) {
    for (let i = 0; i < piece.length; i += STEP_BYTES) {
      tokenizer.write(i === 0 && piece.length <= STEP_BYTES ? piece : piece.subarray(i, i + STEP_BYTES));
      await writer.drain();
    }
  }
  tokenizer.end();
  return handler.finish();
}

/** Routes tokenizer events: the root object and its keys here, the samples of x and y to a SampleReader each. */
class JsonDatasetHandler implements JsonEvents {
  numberText: () => string = () => '';
  private level = 0; // nesting depth in the document
  private currentKey: 'x' | 'y' | null = null;
  private readonly seen = new Set<string>();
  private reader: SampleReader | null = null;
  private readonly x: SampleReader;
  private readonly y: SampleReader;
  private yScratch = new Float32Array(0);
  private labelShape: number[] = [1];

  constructor(private readonly writer: DatasetWriter, private readonly labels: LabelCollector, maxRows: number | undefined) {
    this.x = new SampleReader('x', {
      first: (shape, values) => {
        writer.start(shape);
        writer.buffer.set(values, writer.offset);
        if (writer.commitRow()) writer.rotate();
      },
      target: () => writer.buffer,
      targetOffset: () => writer.offset,
      end: () => {
        if (writer.commitRow()) writer.rotate();
      },
      string: null,
    }, () => this.numberText());
    const checkLabelRows = () => {
      if (maxRows !== undefined && labels.count >= maxRows) {
        throw new DatasetError('TOO_MANY_ROWS', `y has more than ${maxRows} samples, the limit`, { row: labels.count + 1, column: 'y' });
      }
    };
    this.y = new SampleReader('y', {
      first: (shape, values) => {
        this.labelShape = shape;
        this.yScratch = new Float32Array(values.length);
        labels.addNumbers(values);
      },
      target: () => this.yScratch,
      targetOffset: () => 0,
      end: () => {
        checkLabelRows();
        labels.addNumbers(this.yScratch);
      },
      string: (name) => {
        checkLabelRows();
        labels.addString(name);
      },
    }, () => this.numberText());
  }

  /** Where the tokenizer is, for syntax errors. */
  path(): string {
    return this.reader ? this.reader.path() : this.currentKey ?? '';
  }

  beginObject(): void {
    if (this.level === 0) {
      this.level = 1;
      return;
    }
    if (this.reader) throw this.reader.invalid('an object');
    throw this.unexpected('an object');
  }

  endObject(): void {
    this.level = 0;
  }

  key(name: string): void {
    if (name !== 'x' && name !== 'y') {
      throw new DatasetError('MALFORMED_JSON', `unexpected key ${JSON.stringify(name.slice(0, 40))}; the body must be {"x": [...], "y": [...]} with no other keys`, {
        details: { path: name },
      });
    }
    if (this.seen.has(name)) throw new DatasetError('MALFORMED_JSON', `the key "${name}" appears twice`, { details: { path: name } });
    this.seen.add(name);
    this.currentKey = name;
  }

  beginArray(): void {
    if (this.reader) {
      this.reader.beginArray();
    } else if (this.level === 1) {
      this.reader = this.currentKey === 'x' ? this.x : this.y;
    } else {
      throw this.unexpected('an array');
    }
    this.level++;
  }

  endArray(): void {
    this.level--;
    if (this.level === 1) {
      this.reader = null;
      this.currentKey = null;
    } else {
      this.reader!.endArray();
    }
  }

  number(value: number): void {
    if (this.reader) this.reader.number(value);
    else throw this.unexpected(`the number ${this.numberText()}`);
  }

  string(value: string): void {
    if (this.reader) this.reader.string(value);
    else throw this.unexpected(`the string ${JSON.stringify(value.slice(0, 40))}`);
  }

  literal(value: boolean | null): void {
    if (this.reader) throw this.reader.invalid(String(value));
    throw this.unexpected(String(value));
  }

  async finish(): Promise<DatasetSummary> {
    for (const part of ['x', 'y']) {
      if (!this.seen.has(part)) throw new DatasetError('MALFORMED_JSON', `the body has no "${part}" key; expected {"x": [...], "y": [...]}`);
    }
    if (this.x.sample === 0) throw new DatasetError('EMPTY_DATASET', 'x is empty; expected at least one sample', { column: 'x' });
    if (this.y.sample !== this.x.sample) {
      throw new DatasetError('ROW_COUNT_MISMATCH', `x has ${this.x.sample} samples but y has ${this.y.sample}; they must agree`, {
        details: { xRows: this.x.sample, yRows: this.y.sample },
      });
    }
    return this.writer.finish(this.labels.finish(), { featureNames: null, labelNames: null, labelShape: this.labelShape });
  }

  private unexpected(received: string): DatasetError {
    if (this.level === 0) {
      return new DatasetError('MALFORMED_JSON', `expected an object {"x": [...], "y": [...]}, received ${received}`);
    }
    return new DatasetError('MALFORMED_JSON', `"${this.currentKey}" must be an array of samples, received ${received}`, {
      column: this.currentKey ?? undefined,
    });
  }
}
