/**
 * Every way an upload can be refused. The api maps a DatasetError to its one error body: `statusCode` is 413 for
 * PAYLOAD_TOO_LARGE and 422 for everything else (the request was well-formed HTTP; its dataset is not usable).
 */
export type DatasetErrorCode =
  | 'PAYLOAD_TOO_LARGE' // the body exceeds the configured size limit
  | 'TOO_MANY_ROWS' // more samples than options.maxRows
  | 'MALFORMED_CSV' // CSV syntax: quoting, header, an endless row
  | 'MALFORMED_JSON' // JSON grammar, or not the {"x": [...], "y": [...]} shape
  | 'MALFORMED_NPY' // NPY magic, header dict, truncated data
  | 'INVALID_VALUE' // a cell or element is not a finite float32 (NaN, Infinity, empty, text, overflow)
  | 'RAGGED' // rows/samples of different lengths, or a sample nested differently from the first
  | 'UNKNOWN_COLUMN' // labelColumns/featureColumns name a column the header does not have
  | 'INVALID_OPTIONS' // contradictory or malformed parser options
  | 'EMPTY_DATASET' // no samples
  | 'ROW_COUNT_MISMATCH' // x and y disagree on the number of samples
  | 'UNSUPPORTED' // valid input we do not accept: categorical features, Fortran order, non-numeric dtypes
  | 'SHAPE_MISMATCH' // the dataset cannot feed the model (input/output shapes, number of inputs/outputs)
  | 'INVALID_LABEL'; // a label that the loss cannot use (2.5 as a class, class 12 for a 10-unit output)

/** Where and what, in a form the api can pass through as `details`. */
export interface DatasetErrorDetails {
  /** Physical CSV line (1-based, the header is line 1). */
  line?: number;
  /** JSON path of the offending element (`x[12][3]`) or NPY position. */
  path?: string;
  /** Byte offset in the body (JSON syntax errors, NPY). */
  offset?: number;
  /** What was expected, in words. */
  expected?: string;
  /** The raw text received (cut to a readable length). */
  received?: string;
  [key: string]: unknown;
}

/** A dataset was refused; the message names the row, column or path, what was received and what was expected. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  /** 1-based data row (CSV rows after the header; JSON/NPY sample index + 1) when the problem is in one row. */
  readonly row: number | undefined;
  /** CSV column name, or the part (`x`, `y`) for JSON/NPY. */
  readonly column: string | undefined;
  readonly details: DatasetErrorDetails;

  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    where: { row?: number; column?: string; details?: DatasetErrorDetails } = {},
  ) {
    super(message);
    this.row = where.row;
    this.column = where.column;
    this.details = where.details ?? {};
  }

  /** HTTP status the api answers with. */
  get statusCode(): 413 | 422 {
    return this.code === 'PAYLOAD_TOO_LARGE' ? 413 : 422;
  }
}

/** Quotes a received value for a message, cut so that a 10 MB cell does not become a 10 MB message. */
export function quoteReceived(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}
