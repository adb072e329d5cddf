import { DatasetError } from '../core/dataset-error.js';

/*
 * RFC 4180 row mechanics: where a row ends when quotes may hide newlines, and how a quoted row (decoded to text)
 * splits into fields. Rows without any quote never come here: the parser reads them straight from the bytes.
 */

const QUOTE = 34;
const COMMA = 44;

/**
 * Index of the newline (byte 10) ending the row that starts at `pos`, skipping newlines inside quoted fields; -1 when
 * the buffer ends first (the row continues in the next piece, or a quote is left open).
 */
export function findQuotedRowEnd(buf: Uint8Array, pos: number): number {
  let i = pos;
  for (;;) {
    const quote = buf.indexOf(QUOTE, i);
    const newline = buf.indexOf(10, i);
    if (newline !== -1 && (quote === -1 || newline < quote)) return newline;
    if (quote === -1) return -1;
    // Inside quotes up to the closing quote; a doubled quote closes and reopens, which the loop handles as two.
    const close = buf.indexOf(QUOTE, quote + 1);
    if (close === -1) return -1;
    i = close + 1;
  }
}

/** Where a row is, for messages. */
export interface RowPlace {
  row: number;
  line: number;
}

/** Counts newlines in buf[start, end) (quoted fields may span lines). */
export function countNewlines(buf: string, start: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf('\n', start); i !== -1 && i < end; i = buf.indexOf('\n', i + 1)) n++;
  return n;
}

/** Fields of one row, unquoted; `quoted[k]` says whether field k was quoted (its text is then kept as written). */
export interface SplitRow {
  fields: string[];
  quoted: boolean[];
}

function malformed(place: RowPlace | null, what: string): DatasetError {
  const where = place === null ? 'the header' : `row ${place.row} (line ${place.line})`;
  return new DatasetError('MALFORMED_CSV', `${where}: ${what}`, place === null ? { details: { line: 1 } } : { row: place.row, details: { line: place.line } });
}

/**
 * Splits buf[start, end) into fields with RFC 4180 quoting: a field is either unquoted (no quote inside) or wholly
 * quoted, with `""` for a quote. `place` is null for the header.
 */
export function splitRow(buf: string, start: number, end: number, place: RowPlace | null): SplitRow {
  const fields: string[] = [];
  const quoted: boolean[] = [];
  let i = start;
  let nextQuote = buf.indexOf('"', start); // cached: rescanning per field would cost O(buffer) per cell
  for (;;) {
    if (i < end && buf.charCodeAt(i) === QUOTE) {
      let text = '';
      let from = i + 1;
      for (;;) {
        const q = buf.indexOf('"', from);
        if (q === -1 || q >= end) throw malformed(place, `a quoted field (cell ${fields.length + 1}) is not closed`);
        text += buf.slice(from, q);
        if (q + 1 < end && buf.charCodeAt(q + 1) === QUOTE) {
          text += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(text);
      quoted.push(true);
      if (i < end && buf.charCodeAt(i) !== COMMA) {
        throw malformed(place, `unexpected text after the closing quote of cell ${fields.length}; expected a comma or the end of the row`);
      }
    } else {
      let comma = buf.indexOf(',', i);
      if (comma === -1 || comma > end) comma = end;
      if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf('"', i);
      if (nextQuote !== -1 && nextQuote < comma) {
        throw malformed(place, `cell ${fields.length + 1} has a quote inside an unquoted value; quote the whole cell and double inner quotes ("a ""b""")`);
      }
      fields.push(buf.slice(i, comma));
      quoted.push(false);
      i = comma;
    }
    if (i >= end) return { fields, quoted };
    i++; // past the comma
    if (i === end) {
      fields.push('');
      quoted.push(false);
      return { fields, quoted };
    }
  }
}
