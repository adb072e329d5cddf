import type { Backend } from '../../backend/backend.js';
import type { Tensor } from '../../tensor.js';

/*
 * Column blocks of [rows, cols] matrices: the gates of a recurrent cell are stored side by side (LSTM i|f|c|o, GRU
 * z|r|h) in one projection, and each gate has its own activation, so steps copy blocks in and out.
 */

/** A new [rows, width] tensor holding columns [start, start + width) of the [rows, cols] tensor `t`. */
export function sliceColumns(backend: Backend, t: Tensor, start: number, width: number): Tensor {
  const cols = t.shape[t.shape.length - 1]!;
  const rows = t.size / cols;
  const out = backend.zeros([rows, width]);
  const src = t.data;
  const dst = out.data;
  for (let r = 0; r < rows; r++) {
    const s = r * cols + start;
    const d = r * width;
    for (let j = 0; j < width; j++) dst[d + j] = src[s + j]!;
  }
  return out;
}

/** target[:, start:start + width] += src (or = src with `assign`), for a [rows, width] `src`. */
export function writeColumns(target: Tensor, src: Tensor, start: number, assign = false): void {
  const cols = target.shape[target.shape.length - 1]!;
  const width = src.shape[src.shape.length - 1]!;
  const rows = src.size / width;
  const dst = target.data;
  const s = src.data;
  for (let r = 0; r < rows; r++) {
    const d = r * cols + start;
    const o = r * width;
    if (assign) for (let j = 0; j < width; j++) dst[d + j] = s[o + j]!;
    else for (let j = 0; j < width; j++) dst[d + j]! += s[o + j]!;
  }
}

/** A new [batch, width] tensor holding step `t` of the [batch, steps, width] tensor `seq`. */
export function stepOf(backend: Backend, seq: Tensor, t: number): Tensor {
  const [batch, steps, width] = seq.shape as [number, number, number];
  const out = backend.zeros([batch, width]);
  for (let b = 0; b < batch; b++) out.data.set(seq.data.subarray((b * steps + t) * width, (b * steps + t + 1) * width), b * width);
  return out;
}

/** seq[:, t, :] += x (or = x with `assign`) for a [batch, width] `x` and a [batch, steps, width] `seq`. */
export function writeStep(seq: Tensor, x: Tensor, t: number, assign = false): void {
  const [batch, steps, width] = seq.shape as [number, number, number];
  const d = seq.data;
  const s = x.data;
  for (let b = 0; b < batch; b++) {
    const o = (b * steps + t) * width;
    if (assign) for (let j = 0; j < width; j++) d[o + j] = s[b * width + j]!;
    else for (let j = 0; j < width; j++) d[o + j]! += s[b * width + j]!;
  }
}
