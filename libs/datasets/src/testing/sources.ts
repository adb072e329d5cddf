import type { ByteSource } from '../core/byte-source.js';
import type { DatasetChunk, DatasetSummary } from '../core/dataset-writer.js';

/** A small seeded generator (mulberry32), so random piece sizes are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();

/** `data` as bytes in pieces of random sizes in [min, max] (splitting rows, quoted fields and UTF-8 characters). */
export async function* randomPieces(data: Uint8Array | string, seed = 1, min = 1, max = 97): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const random = seededRandom(seed);
  for (let i = 0; i < bytes.length;) {
    const n = min + Math.floor(random() * (max - min + 1));
    yield bytes.slice(i, i + n);
    i += n;
  }
}

/** `data` in one piece. */
export async function* onePiece(data: Uint8Array | string): AsyncGenerator<Uint8Array | string> {
  yield data;
}

/** What a parse produced: every chunk (in order), x and y concatenated, and the summary. */
export interface Collected {
  summary: DatasetSummary;
  chunks: DatasetChunk[];
  x: Float32Array;
  y: Float32Array;
}

/** Runs a parser with a handler that keeps every chunk, and checks chunk order while at it. */
export async function collect(parse: (onChunk: (c: DatasetChunk) => Promise<void>) => Promise<DatasetSummary>): Promise<Collected> {
  const chunks: DatasetChunk[] = [];
  const summary = await parse(async (c) => {
    chunks.push(c);
  });
  const join = (part: 'x' | 'y') => {
    const parts = chunks.filter((c) => c.part === part);
    parts.forEach((c, i) => {
      if (c.index !== i) throw new Error(`${part} chunk ${i} has index ${c.index}`);
    });
    const out = new Float32Array(parts.reduce((n, c) => n + c.data.length, 0));
    let at = 0;
    for (const c of parts) {
      out.set(c.data, at);
      at += c.data.length;
    }
    return out;
  };
  return { summary, chunks, x: join('x'), y: join('y') };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

export type { ByteSource };
