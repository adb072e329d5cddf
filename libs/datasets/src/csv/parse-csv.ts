import { type ByteSource, asText } from '../core/byte-source.js';
import { DatasetError, quoteReceived } from '../core/dataset-error.js';
import { type ChunkHandler, type ChunkOptions, DatasetWriter, type DatasetSummary } from '../core/dataset-writer.js';
import { float32Problem, isStorableFloat32 } from '../core/float32.js';
import { LabelCollector } from '../core/label-collector.js';
import { parseDecimal } from '../core/parse-number.js';
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
export const MAX_ROW_CHARS = 64 * 1024 * 1024;

/** Cells that parse as non-finite numbers: refused rather than taken as class names. */
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Parses a CSV upload (header row, RFC 4180 quoting, LF or CRLF, UTF-8 with or without BOM) as it streams in: x is
 * emitted in chunks while parsing, y at the end (see LabelCollector), then the summary is returned. Any invalid cell
 * throws a DatasetError naming the row, line and column; chunks emitted before it must then be discarded.
 */
export async function parseCsvDataset(source: ByteSource, options: CsvDatasetOptions, onChunk: ChunkHandler): Promise<DatasetSummary> {
  const parser = new CsvDatasetParser(options, onChunk);
  for await (const text of asText(source)) await parser.push(text);
  return parser.end();
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
  // Text not yet consumed: the start of an incomplete row, plus pieces that brought no newline.
  private carry = '';
  private pending: string[] = [];
  private pendingChars = 0;
  private row = 0; // data rows seen (1-based once counted)
  private line = 1; // physical line where the next row starts
  private blank: RowPlace | null = null; // the first of a run of empty rows, ignored if nothing follows

  constructor(private readonly options: CsvDatasetOptions, onChunk: ChunkHandler) {
    this.writer = new DatasetWriter(options, onChunk);
  }

  async push(text: string): Promise<void> {
    if (text.indexOf('\n') === -1) {
      // No row can end in this piece: keep it aside rather than re-scanning a growing string.
      this.pending.push(text);
      this.pendingChars += text.length;
      this.checkRowLength(this.carry.length + this.pendingChars);
      return;
    }
    const buf = this.pending.length > 0 ? this.carry + this.pending.join('') + text : this.carry + text;
    this.pending = [];
    this.pendingChars = 0;
    const pos = await this.consume(buf, false);
    this.carry = buf.slice(pos);
    this.checkRowLength(this.carry.length);
  }

  async end(): Promise<DatasetSummary> {
    const buf = this.carry + this.pending.join('');
    this.carry = '';
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

  private checkRowLength(chars: number): void {
    if (chars > MAX_ROW_CHARS) {
      throw new DatasetError('MALFORMED_CSV', `row ${this.row + 1} (line ${this.line}) is longer than ${MAX_ROW_CHARS / 1024 / 1024} MiB of text; `
        + 'is a quote left open?', { row: this.row + 1, details: { line: this.line } });
    }
  }

  /** Parses the complete rows of `buf` (and the last one too when `final`); returns where the unconsumed text starts. */
  private async consume(buf: string, final: boolean): Promise<number> {
    let pos = 0;
    let nextQuote = buf.indexOf('"');
    while (pos < buf.length) {
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf('"', pos);
      let newline = buf.indexOf('\n', pos);
      const quoted = nextQuote !== -1 && (newline === -1 || nextQuote < newline);
      if (quoted) newline = findQuotedRowEnd(buf, pos);
      if (newline === -1 && !final) return pos;
      const rowEnd = newline === -1 ? buf.length : newline;
      const contentEnd = rowEnd > pos && buf.charCodeAt(rowEnd - 1) === 13 ? rowEnd - 1 : rowEnd;
      const lines = 1 + (quoted ? countNewlines(buf, pos, rowEnd) : 0);
      if (this.header === null) this.readHeader(buf, pos, contentEnd);
      else {
        const place = { row: ++this.row, line: this.line };
        if (contentEnd === pos) {
          this.blank ??= place; // an error only if a non-empty row follows
        } else {
          if (this.blank) throw this.ragged(this.blank, 1);
          if (quoted) this.readQuotedRow(buf, pos, contentEnd, place);
          else this.readRow(buf, pos, contentEnd, place);
          if (this.writer.commitRow()) await this.writer.flush();
        }
      }
      this.line += lines;
      pos = newline === -1 ? buf.length : newline + 1;
    }
    return pos;
  }

  private readHeader(buf: string, start: number, end: number): void {
    if (end === start) throw new DatasetError('MALFORMED_CSV', 'line 1 is empty; expected a header row naming the columns', { details: { line: 1 } });
    const { fields, quoted } = splitRow(buf, start, end, null);
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

  /** The fast path: a row without quotes, split with indexOf and parsed in place. */
  private readRow(buf: string, start: number, end: number, place: RowPlace): void {
    const out = this.writer.buffer;
    const offset = this.writer.offset;
    const { featureSlot, labelSlot, columns } = this;
    let c = 0;
    let a = start;
    for (;;) {
      let b = buf.indexOf(',', a);
      if (b === -1 || b > end) b = end;
      if (c < columns) {
        const slot = featureSlot[c]!;
        if (slot >= 0) {
          const v = parseDecimal(buf, a, b);
          if (!isStorableFloat32(v)) throw this.badFeature(buf.slice(a, b), v, c, place, () => countCells(buf, start, end));
          out[offset + slot] = v;
        } else if (labelSlot[c]! >= 0) {
          this.readLabel(buf.slice(a, b).trim(), c, place, () => countCells(buf, start, end));
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
  private readQuotedRow(buf: string, start: number, end: number, place: RowPlace): void {
    const { fields, quoted } = splitRow(buf, start, end, place);
    if (fields.length !== this.columns) throw this.ragged(place, fields.length);
    const out = this.writer.buffer;
    const offset = this.writer.offset;
    for (let c = 0; c < fields.length; c++) {
      const text = fields[c]!;
      const slot = this.featureSlot[c]!;
      if (slot >= 0) {
        const v = parseDecimal(text, 0, text.length);
        if (!isStorableFloat32(v)) throw this.badFeature(text, v, c, place, () => fields.length);
        out[offset + slot] = v;
      } else if (this.labelSlot[c]! >= 0) {
        this.readLabel(quoted[c] ? text : text.trim(), c, place, () => fields.length);
      }
    }
    this.finishLabelRow();
  }

  private readLabel(text: string, c: number, place: RowPlace, cells: () => number): void {
    const v = parseDecimal(text, 0, text.length);
    const name = this.header![c]!;
    if (isStorableFloat32(v)) {
      if (this.labelNames.length === 1) this.labels.addCsvLabel(text, v, place.row, name);
      else this.labelRow[this.labelSlot[c]!] = v;
      return;
    }
    if (cells() !== this.columns) throw this.ragged(place, cells());
    const isClassName = Number.isNaN(v) && text !== '' && !NON_FINITE.test(text);
    if (isClassName && this.labelNames.length === 1) {
      this.labels.addCsvLabel(text, NaN, place.row, name);
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
function countCells(buf: string, start: number, end: number): number {
  let n = 1;
  for (let i = buf.indexOf(',', start); i !== -1 && i < end; i = buf.indexOf(',', i + 1)) n++;
  return n;
}
