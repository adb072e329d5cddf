import { DatasetError } from './dataset-error.js';

/** A body as it streams in: `request.raw`, a multipart file stream, `fs.createReadStream(...)`, an async generator. */
export type ByteSource = AsyncIterable<Uint8Array | string>;

/** The default upload limit: 1 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;

/** Passes `source` through, throwing DatasetError PAYLOAD_TOO_LARGE as soon as more than `maxBytes` have arrived. */
export async function* limitBytes(source: ByteSource, maxBytes: number = DEFAULT_MAX_UPLOAD_BYTES): AsyncGenerator<Uint8Array | string> {
  let total = 0;
  for await (const piece of source) {
    total += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.byteLength;
    if (total > maxBytes) {
      throw new DatasetError('PAYLOAD_TOO_LARGE', `the upload is larger than the limit of ${formatBytes(maxBytes)} (${maxBytes} bytes)`, {
        details: { limit: maxBytes },
      });
    }
    yield piece;
  }
}

const encoder = new TextEncoder();

/** The source as bytes (strings are encoded as UTF-8). */
export async function* asBytes(source: ByteSource): AsyncGenerator<Uint8Array> {
  for await (const piece of source) {
    if (typeof piece === 'string') {
      if (piece.length > 0) yield encoder.encode(piece);
    } else if (piece.byteLength > 0) {
      yield piece;
    }
  }
}

/**
 * The source as text. Bytes are decoded as UTF-8 in streaming mode, so a multi-byte character split between two
 * pieces is decoded whole; a leading byte order mark is dropped. Invalid UTF-8 becomes U+FFFD, which later fails
 * number parsing with the cell named, rather than failing here without a row.
 */
export async function* asText(source: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const piece of source) {
    let text = typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    // TextDecoder already drops a BOM from bytes; string sources may still start with one.
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** `1 GiB`, `512 MiB`, `100 KiB` or `123 bytes`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} bytes`;
}
