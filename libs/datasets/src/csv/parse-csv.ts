import { type ByteSource, asBytes } from '../core/byte-source.js';
import { DatasetError, quoteReceived } from '../core/dataset-error.js';
import { type ChunkHandler, type ChunkOptions, DatasetWriter, type DatasetSummary } from '../core/dataset-writer.js';
import { float32Problem, isStorableFloat32 } from '../core/float32.js';
import { LabelCollector } from '../core/label-collector.js';
import { parseDecimal, parseDecimalBytes } from '../core/parse-number.js';
import { checkHeader, selectColumns } from './csv-columns.js';
import { type RowPlace, countNewlines, findQuotedRowEnd, splitRow } from './csv-rows.js';

/** CSV parsing options: which columns are labels and features (names from the header row). */
export interface CsvDatasetOptions extends ChunkOptions {
  /** Label column names; default: the last column. */
  labelColumns?: string[] | undefined;
  /** Feature column names, in the order x should have them; default: every column that is not a label. */
  featureColumns?: string[] | undefined;
}

/** A row (quoted fields included) longer than this is refused: most likely a quote left open swallowing the file. */
export const MAX_ROW_BYTES = 64 * 1024 * 1024;

/** Cells that parse as non-finite numbers: refused rather than taken as class names. */
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Parses a CSV upload (header row, RFC 4180 quoting, LF or CRLF, UTF-8 with or without BOM) as it streams in: x is
 * emitted in chunks while parsing, y at the end (see LabelCollector), then the summary is returned. Any invalid cell
 * throws a DatasetError naming the row, line and column; chunks emitted before it must then be discarded.
 *
 * Rows are parsed from the bytes: numbers are ASCII, and not decoding the whole body as UTF-8 made parsing about 1.4×
 * faster (bench/csv-throughput.ts). Only the header, label cells and quoted rows are decoded, each whole, so a multi-byte character split
 * between two pieces is never cut.
 */
export async function parseCsvDataset(source: ByteSource, options: CsvDatasetOptions, onChunk: ChunkHandler): Promise<DatasetSummary> {
  const parser = new CsvDatasetParser(options, onChunk);
  for await (const piece of asBytes(source)) await parser.push(piece);
  return parser.end();
}

const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;
const CR = 13;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

class CsvDatasetParser {
  private readonly writer: DatasetWriter;
  private readonly labels = new LabelCollector();
  private header: string[] | null = null;
  private columns = 0;
  // Per header column: its position in a sample of x (or y), -1 when it is not one.
  private featureSlot = new Int32Array(0);
  private labelSlot = new Int32Array(0);
  private labelNames: string[] = [];
  private featureNames: string[] = [];
  private labelRow = new Float32Array(0);
  // Bytes not yet consumed: the start of an incomplete row, plus pieces that brought no newline.
  private carry: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private row = 0; // data rows seen (1-based once counted)
  private line = 1; // physical line where the next row starts
  private blank: RowPlace | null = null; // the first of a run of empty rows, ignored if nothing follows

  constructor(private readonly options: CsvDatasetOptions, onChunk: ChunkHandler) {
    this.writer = new DatasetWriter(options, onChunk);
  }

  async push(piece: Uint8Array): Promise<void> {
    const bytes = asBuffer(piece);
    if (bytes.indexOf(NEWLINE) === -1) {
      // No row can end in this piece: keep it aside rather than re-scanning a growing buffer. Copied, as the source
      // may reuse its buffer.
      this.pending.push(Buffer.from(bytes));
      this.pendingBytes += bytes.length;
      this.checkRowLength(this.carry.length + this.pendingBytes);
      return;
    }
    const buf = this.carry.length > 0 || this.pending.length > 0 ? Buffer.concat([this.carry, ...this.pending, bytes]) : bytes;
    this.pending = [];
    this.pendingBytes = 0;
    const pos = await this.consume(buf, false);
    this.carry = Buffer.from(buf.subarray(pos));
    this.checkRowLength(this.carry.length);
  }

  async end(): Promise<DatasetSummary> {
    const buf = Buffer.concat([this.carry, ...this.pending]);
    this.carry = Buffer.alloc(0);
    this.pending = [];
    if (buf.length > 0) await this.consume(buf, true);
    if (this.header === null) throw new DatasetError('EMPTY_DATASET', 'the upload is empty; expected a CSV header row and data rows');
    if (this.writer.rows === 0) throw new DatasetError('EMPTY_DATASET', 'the CSV has a header but no data rows');
    return this.writer.finish(this.labels.finish(), {
      featureNames: this.featureNames,
      labelNames: this.labelNames,
      labelShape: [this.labelNames.length],
    });
  }

  private checkRowLength(bytes: number): void {
    if (bytes > MAX_ROW_BYTES) {
      throw new DatasetError('MALFORMED_CSV', `row ${this.row + 1} (line ${this.line}) is longer than ${MAX_ROW_BYTES / 1024 / 1024} MiB; `
        + 'is a quote left open?', { row: this.row + 1, details: { line: this.line } });
    }
  }

  /** Parses the complete rows of `buf` (and the last one too when `final`); returns where the unconsumed bytes start. */
  private async consume(buf: Buffer, final: boolean): Promise<number> {
    let pos = 0;
    let nextQuote = buf.indexOf(QUOTE);
    while (pos < buf.length) {
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf(QUOTE, pos);
      let newline = buf.indexOf(NEWLINE, pos);
      const quoted = nextQuote !== -1 && (newline === -1 || nextQuote < newline);
      if (quoted) newline = findQuotedRowEnd(buf, pos);
      if (newline === -1 && !final) return pos;
      const rowEnd = newline === -1 ? buf.length : newline;
      const contentEnd = rowEnd > pos && buf[rowEnd - 1] === CR ? rowEnd - 1 : rowEnd;
      let lines = 1;
      if (this.header === null) {
        // A UTF-8 byte order mark only ever precedes the header.
        const start = buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf ? pos + 3 : pos;
        this.readHeader(buf.toString('utf8', start, contentEnd));
      } else {
        const place = { row: ++this.row, line: this.line };
        if (contentEnd === pos) {
          this.blank ??= place; // an error only if a non-empty row follows
        } else {
          if (this.blank) throw this.ragged(this.blank, 1);
          if (quoted) {
            const text = buf.toString('utf8', pos, contentEnd);
            lines += countNewlines(text, 0, text.length);
            this.readQuotedRow(text, place);
          } else {
            this.readRow(buf, pos, contentEnd, place);
          }
          if (this.writer.commitRow()) await this.writer.flush();
        }
      }
      this.line += lines;
      pos = newline === -1 ? buf.length : newline + 1;
    }
    return pos;
  }

  private readHeader(text: string): void {
    if (text === '') throw new DatasetError('MALFORMED_CSV', 'line 1 is empty; expected a header row naming the columns', { details: { line: 1 } });
    const { fields, quoted } = splitRow(text, 0, text.length, null);
    const names = fields.map((f, k) => (quoted[k] ? f : f.trim()));
    checkHeader(names);
    const { features, labels } = selectColumns(names, this.options);
    this.header = names;
    this.columns = names.length;
    this.featureSlot = new Int32Array(names.length).fill(-1);
    this.labelSlot = new Int32Array(names.length).fill(-1);
    features.forEach((c, slot) => (this.featureSlot[c] = slot));
    labels.forEach((c, slot) => (this.labelSlot[c] = slot));
    this.featureNames = features.map((c) => names[c]!);
    this.labelNames = labels.map((c) => names[c]!);
    this.labelRow = new Float32Array(labels.length);
    this.writer.start([features.length]);
  }

  /** The fast path: a row without quotes, split and parsed on its bytes, writing straight into the chunk. */
  private readRow(buf: Buffer, start: number, end: number, place: RowPlace): void {
    const out = this.writer.buffer;
    const offset = this.writer.offset;
    const { featureSlot, labelSlot, columns } = this;
    let c = 0;
    let a = start;
    for (;;) {
      let b = a;
      while (b < end && buf[b] !== COMMA) b++;
      if (c < columns) {
        const slot = featureSlot[c]!;
        if (slot >= 0) {
          const v = parseDecimalBytes(buf, a, b);
          if (!isStorableFloat32(v)) throw this.badFeature(buf.toString('utf8', a, b), v, c, place, () => countCells(buf, start, end));
          out[offset + slot] = v;
        } else if (labelSlot[c]! >= 0) {
          const v = parseDecimalBytes(buf, a, b);
          if (isStorableFloat32(v)) this.numericLabel(v, c, buf, a, b);
          else this.textLabel(buf.toString('utf8', a, b).trim(), v, c, place, () => countCells(buf, start, end));
        }
      }
      c++;
      if (b >= end) break;
      a = b + 1;
    }
    if (c !== columns) throw this.ragged(place, c);
    this.finishLabelRow();
  }

  /** The slow path: a row with quotes (perhaps spanning lines), split into strings first. */
  private readQuotedRow(text: string, place: RowPlace): void {
    const { fields, quoted } = splitRow(text, 0, text.length, place);
    if (fields.length !== this.columns) throw this.ragged(place, fields.length);
    const out = this.writer.buffer;
    const offset = this.writer.offset;
    for (let c = 0; c < fields.length; c++) {
      const cell = fields[c]!;
      const slot = this.featureSlot[c]!;
      if (slot >= 0) {
        const v = parseDecimal(cell);
        if (!isStorableFloat32(v)) throw this.badFeature(cell, v, c, place, () => fields.length);
        out[offset + slot] = v;
      } else if (this.labelSlot[c]! >= 0) {
        const label = quoted[c] ? cell : cell.trim();
        const v = parseDecimal(label);
        if (isStorableFloat32(v)) this.numericLabel(v, c, label);
        else this.textLabel(label, v, c, place, () => fields.length);
      }
    }
    this.finishLabelRow();
  }

  /** A label cell holding a storable number; its text (a string, or a byte range of `source`) names it if needed. */
  private numericLabel(v: number, c: number, source: string | Buffer, a = 0, b = 0): void {
    if (this.labelNames.length > 1) {
      this.labelRow[this.labelSlot[c]!] = v;
    } else if (this.labels.addCsvNumber(v)) {
      this.labels.nameNumber(typeof source === 'string' ? source : source.toString('utf8', a, b).trim());
    }
  }

  /** A label cell that is not a storable number: a class name, or an error. */
  private textLabel(text: string, v: number, c: number, place: RowPlace, cells: () => number): void {
    if (cells() !== this.columns) throw this.ragged(place, cells());
    const name = this.header![c]!;
    const isClassName = Number.isNaN(v) && text !== '' && !NON_FINITE.test(text);
    if (isClassName && this.labelNames.length === 1) {
      this.labels.addCsvText(text, place.row, name);
      return;
    }
    const at = `row ${place.row} (line ${place.line}), column ${JSON.stringify(name)}`;
    const where = { row: place.row, column: name, details: { line: place.line, received: text } };
    if (isClassName) {
      throw new DatasetError('INVALID_LABEL', `${at}: expected a finite number, received ${quoteReceived(text)}; `
        + `string class labels need exactly one label column (this upload has ${this.labelNames.length})`, where);
    }
    const received = text === '' ? 'an empty cell' : quoteReceived(text);
    const why = Number.isNaN(v) ? '' : ` (${float32Problem(v)})`;
    throw new DatasetError('INVALID_VALUE', `${at}: expected a finite number or a class name, received ${received}${why}`, where);
  }

  private finishLabelRow(): void {
    if (this.labelNames.length > 1) this.labels.addNumbers(this.labelRow);
  }

  private badFeature(raw: string, v: number, c: number, place: RowPlace, cells: () => number): DatasetError {
    // A shifted row produces odd cells; say it is ragged rather than blame one cell.
    if (cells() !== this.columns) return this.ragged(place, cells());
    const name = this.header![c]!;
    const text = raw.trim();
    const at = `row ${place.row} (line ${place.line}), column ${JSON.stringify(name)}`;
    const where = { row: place.row, column: name, details: { line: place.line, expected: 'a finite number', received: text } };
    if (text === '') return new DatasetError('INVALID_VALUE', `${at}: expected a finite number, received an empty cell`, where);
    if (Number.isNaN(v) && !NON_FINITE.test(text)) {
      return new DatasetError('UNSUPPORTED', `${at}: expected a finite number, received ${quoteReceived(text)}; categorical (text) features `
        + 'are not supported: encode the column as numbers, or leave it out with featureColumns', where);
    }
    const why = Number.isNaN(v) ? '' : ` (${float32Problem(v)})`;
    return new DatasetError('INVALID_VALUE', `${at}: expected a finite number, received ${quoteReceived(text)}${why}`, where);
  }

  private ragged(place: RowPlace, cells: number): DatasetError {
    const what = cells === 1 && this.columns > 1 && this.blank === place ? 'is empty' : `has ${cells} cell${cells === 1 ? '' : 's'}`;
    return new DatasetError('RAGGED', `row ${place.row} (line ${place.line}) ${what}; the header has ${this.columns} columns`, {
      row: place.row,
      details: { line: place.line, cells, columns: this.columns },
    });
  }
}

/** Cells in an unquoted row. */
function countCells(buf: Buffer, start: number, end: number): number {
  let n = 1;
  for (let i = start; i < end; i++) if (buf[i] === COMMA) n++;
  return n;
}
