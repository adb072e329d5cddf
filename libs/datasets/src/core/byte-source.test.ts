import { describe, expect, it } from 'vitest';
import { asText, formatBytes, limitBytes } from './byte-source.js';
import { DatasetError } from './dataset-error.js';
import { randomPieces, rejection } from '../testing/sources.js';

async function drain<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const piece of source) out.push(piece);
  return out;
}

describe('limitBytes', () => {
  it('passes sources up to the limit through unchanged', async () => {
    const pieces = await drain(limitBytes(randomPieces('x'.repeat(1000), 1), 1000));
    expect(pieces.reduce((n, p) => n + (p as Uint8Array).length, 0)).toBe(1000);
  });

  it('throws PAYLOAD_TOO_LARGE (413) as soon as the limit is passed, counting UTF-8 bytes of strings', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<string> {
      for (;;) {
        pulled++;
        yield 'é'.repeat(100); // 200 bytes
      }
    }
    const error = await rejection(drain(limitBytes(endless(), 1000)));
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as unknown as DatasetError).code).toBe('PAYLOAD_TOO_LARGE');
    expect((error as unknown as DatasetError).statusCode).toBe(413);
    expect(error.message).toBe('the upload is larger than the limit of 1000 bytes (1000 bytes)');
    expect(pulled).toBe(6);
    expect((await rejection(drain(limitBytes(endless(), 1024 ** 3 / 1e6)))).message).toMatch(/^the upload is larger than the limit of 1\.0\d* KiB/);
  });

  it('formats limits', () => {
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(formatBytes(100)).toBe('100 bytes');
  });
});

describe('asText', () => {
  it('decodes UTF-8 split between pieces and drops a BOM split between pieces', async () => {
    const text = '\uFEFFgrüße,日本,🎉\n';
    for (let seed = 1; seed < 30; seed++) {
      const out = (await drain(asText(randomPieces(text, seed, 1, 3)))).join('');
      expect(out).toBe('grüße,日本,🎉\n');
    }
  });
});
