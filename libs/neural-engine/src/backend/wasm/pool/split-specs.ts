import type { PoolKernel } from './pool-protocol.js';

/*
 * Where each kernel's range lives among its arguments (the index of its start; the end follows), which argument is
 * the calling thread's gemm scratch (a worker substitutes its own), and the granularity of a part. Every kernel
 * computes each element of its range the same way whatever the range (see ../README.md, Determinism), so any split
 * gives bitwise-identical results; the granularity is only about speed.
 */
export interface SplitSpec {
  /** Index of the range start argument; the range end is the next one. */
  readonly range: number;
  /** Index of the gemm scratch argument, -1 if none. */
  readonly scratch: number;
  /** Parts are whole multiples of this many rows/columns/elements (except the last). */
  readonly align: number;
}

export const SPLIT_SPECS: Readonly<Record<PoolKernel, SplitSpec>> = {
  // gemm(transA, transB, a, b, c, m, k, n, rowStart, rowEnd, accumulate, scratch): rows of C in whole 4-row tiles.
  gemm: { range: 8, scratch: 11, align: 4 },
  // Window kernels: (…, geometry, [start, count,] rowStart, rowEnd); the geometry pointer is the caller's scratch,
  // read (never written) by every part.
  im2col: { range: 5, scratch: -1, align: 1 },
  col2im: { range: 5, scratch: -1, align: 1 },
  maxPool: { range: 4, scratch: -1, align: 1 },
  maxPoolBackward: { range: 4, scratch: -1, align: 1 },
  avgPool: { range: 3, scratch: -1, align: 1 },
  avgPoolBackward: { range: 3, scratch: -1, align: 1 },
  // addRowVector(x, v, out, cols, rowStart, rowEnd): rows.
  addRowVector: { range: 4, scratch: -1, align: 1 },
  // sumRows(x, out, rows, cols, colStart, colEnd): columns, 8 at a time (its SIMD step).
  sumRows: { range: 4, scratch: -1, align: 8 },
  // axpy(t, alpha, x, start, end), scale(x, s, out, start, end): elements, in 64-byte cache lines.
  axpy: { range: 3, scratch: -1, align: 16 },
  scale: { range: 3, scratch: -1, align: 16 },
  // elementwise(op, a, b, out, start, end): elements, in cache lines.
  elementwise: { range: 4, scratch: -1, align: 16 },
  // reluForward(x, y, start, end), reluBackward(x, dy, dx, start, end): elements, in cache lines.
  reluForward: { range: 2, scratch: -1, align: 16 },
  reluBackward: { range: 3, scratch: -1, align: 16 },
  // optimizerUpdate(rule, w, g, s0, s1, s2, c0, …, c7, start, end): parameter elements, in cache lines.
  optimizerUpdate: { range: 14, scratch: -1, align: 16 },
  // lstmSequenceSigmoidTanh(xz, recurrentKernel, h, c, seq, z, record, hPrev, batch, steps, units, goBackwards,
  // rowStart, rowEnd, scratch) and lstmSequenceBackwardSigmoidTanh(record, recurrentKernel, dOut, dh, dc, dxz, work,
  // batch, steps, units, flags, rowStart, rowEnd, scratch): rows of the batch, each over every step (rows never meet,
  // so parts run without waiting for each other).
  lstmSequenceSigmoidTanh: { range: 12, scratch: 14, align: 1 },
  lstmSequenceBackwardSigmoidTanh: { range: 11, scratch: 13, align: 1 },
  // lstmBackwardSigmoidTanh(gates, cPrev, cellOut, dh, dcNext, dz, dcPrev, units, rowStart, rowEnd): rows.
  lstmBackwardSigmoidTanh: { range: 8, scratch: -1, align: 1 },
};

/**
 * [start, end) cut into at most `parts` contiguous non-empty pieces of whole `align` units, as even as the units
 * allow (earlier pieces get the extra unit).
 */
export function partition(start: number, end: number, parts: number, align: number): [number, number][] {
  const units = Math.ceil((end - start) / align);
  const count = Math.max(0, Math.min(parts, units));
  const out: [number, number][] = [];
  let at = start;
  for (let p = 0; p < count; p++) {
    const take = Math.floor(units / count) + (p < units % count ? 1 : 0);
    const next = Math.min(end, at + take * align);
    out.push([at, next]);
    at = next;
  }
  return out;
}

/**
 * [start, end) cut into contiguous pieces of whole `align` units, piece p about `shares[p]` of the units (shares sum
 * to 1). A piece may be empty when its share rounds to no unit; the last piece ends at `end`.
 */
export function partitionByShares(start: number, end: number, shares: ArrayLike<number>, align: number): [number, number][] {
  const units = Math.ceil((end - start) / align);
  const out: [number, number][] = [];
  let at = start;
  let cumulative = 0;
  for (let p = 0; p < shares.length; p++) {
    cumulative += shares[p]!;
    const next = p === shares.length - 1 ? end : Math.min(end, start + Math.round(units * cumulative) * align);
    const to = Math.max(at, next);
    out.push([at, to]);
    at = to;
  }
  return out;
}
