import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../csv/parse-csv.js';
import { parseJsonDataset } from '../json/parse-json.js';
import { parseNpyDataset } from '../npy/parse-npy.js';
import { encodeNpy } from '../testing/npy-encoder.js';
import { randomPieces } from '../testing/sources.js';
import type { DatasetChunk, DatasetSummary } from './dataset-writer.js';

/** Runs a parser with a slow store: records how many chunks were ever in flight at once and how far the source was read. */
async function slowStore(parse: (onChunk: (c: DatasetChunk) => Promise<void>) => Promise<DatasetSummary>): Promise<{ maxInFlight: number; chunks: number }> {
  let inFlight = 0;
  let maxInFlight = 0;
  let chunks = 0;
  await parse(async () => {
    inFlight++;
    chunks++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight--;
  });
  return { maxInFlight, chunks };
}

describe('backpressure', () => {
  const rows = 2000;
  it('awaits each chunk before emitting the next (CSV, JSON, NPY)', async () => {
    const csv = `a,b,label\n${Array.from({ length: rows }, (_, i) => `${i},${i / 2},${i % 3}`).join('\n')}\n`;
    const json = JSON.stringify({ x: Array.from({ length: rows }, (_, i) => [i, i / 2]), y: Array.from({ length: rows }, (_, i) => i % 3) });
    const x = encodeNpy(Array.from({ length: rows * 2 }, (_, i) => i), [rows, 2], '<f4');
    const y = encodeNpy(Array.from({ length: rows }, (_, i) => i % 3), [rows], '<i4');
    const options = { chunkRows: 100 };
    for (const run of [
      (on: (c: DatasetChunk) => Promise<void>) => parseCsvDataset(randomPieces(csv, 1, 100, 900), options, on),
      (on: (c: DatasetChunk) => Promise<void>) => parseJsonDataset(randomPieces(json, 1, 100, 900), options, on),
      (on: (c: DatasetChunk) => Promise<void>) => parseNpyDataset(randomPieces(x, 1, 100, 900), randomPieces(y, 2, 100, 900), options, on),
    ]) {
      const { maxInFlight, chunks } = await slowStore(run);
      expect(maxInFlight).toBe(1);
      expect(chunks).toBe(2 * (rows / 100));
    }
  });

  it('does not read the source ahead of a chunk that is still being stored', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<string> {
      yield 'a,label\n';
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield `${i},0\n`;
      }
    }
    const pulledAtChunk: number[] = [];
    await parseCsvDataset(source(), { chunkRows: 10 }, async (c) => {
      if (c.part === 'x') pulledAtChunk.push(pulled);
      await new Promise((resolve) => setTimeout(resolve, 1));
    });
    // Chunk k (10 rows) is emitted right after the piece holding its last row, before any later piece is pulled.
    expect(pulledAtChunk).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});
