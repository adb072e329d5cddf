import type { ChannelRange, WindowGeometry } from '../../kernels/window-geometry.js';
import type { WasmF32 } from './float-arena.js';
import type { KernelExports } from './kernel-module.js';
import type { WasmMemory } from './webassembly.js';

/*
 * Typed, checked calls of the module's window kernels (im2col/col2im, max/average pooling), with the same contracts
 * as src/kernels/im2col.ts and pooling.ts. The geometry travels as 14 int32 written into the calling thread's scratch
 * (in the order assembly/window.ts reads them), so the kernels take a handful of arguments instead of twenty.
 */

/** The calling thread's view of the module: its exports, the shared memory and its private scratch. */
export interface KernelContext {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  readonly scratch: WasmF32;
}

/** Rows of a window kernel's iteration space; see each function for what a row is. */
export interface RowRange {
  rowStart?: number;
  rowEnd?: number;
}

const GEOMETRY_FIELDS = [
  'batch', 'inH', 'inW', 'channels', 'kH', 'kW', 'strideH', 'strideW', 'dilationH', 'dilationW', 'padTop', 'padLeft', 'outH', 'outW',
] as const;

/** Writes the geometry into the scratch and returns its pointer. */
function writeGeometry(ctx: KernelContext, g: WindowGeometry): number {
  const view = new Int32Array(ctx.memory.buffer, ctx.scratch.ptr, GEOMETRY_FIELDS.length);
  GEOMETRY_FIELDS.forEach((field, i) => {
    const v = g[field];
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`window geometry ${field} = ${v}: expected a non-negative 32-bit integer`);
    view[i] = v;
  });
  for (const field of ['strideH', 'strideW', 'dilationH', 'dilationW'] as const) {
    if (g[field] === 0) throw new RangeError(`window geometry ${field} = 0: expected at least 1`);
  }
  return ctx.scratch.ptr;
}

function checkBuffer(name: string, buffer: WasmF32, need: number, memory: WasmMemory): void {
  if (buffer.length < need) throw new RangeError(`${name} holds ${buffer.length} values; the window geometry needs ${need}`);
  if (buffer.ptr % 4 !== 0 || buffer.ptr < 0 || buffer.ptr + need * 4 > memory.buffer.byteLength) {
    throw new RangeError(`${name} at byte ${buffer.ptr} (${need} values): expected a 4-byte aligned range inside the ${memory.buffer.byteLength}-byte memory`);
  }
}

function rows(range: RowRange, total: number, what: string): [number, number] {
  const { rowStart = 0, rowEnd = total } = range;
  if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowEnd > total || rowStart > rowEnd) {
    throw new RangeError(`rows [${rowStart}, ${rowEnd}): expected 0 <= rowStart <= rowEnd <= ${total} (${what})`);
  }
  return [rowStart, rowEnd];
}

function channelRange(range: ChannelRange | undefined, g: WindowGeometry): ChannelRange {
  const r = range ?? { start: 0, count: g.channels };
  if (!Number.isInteger(r.start) || !Number.isInteger(r.count) || r.start < 0 || r.count < 0 || r.start + r.count > g.channels) {
    throw new RangeError(`channel range [${r.start}, ${r.start + r.count}) outside ${g.channels} channels`);
  }
  return r;
}

const inputSize = (g: WindowGeometry): number => g.batch * g.inH * g.inW * g.channels;
const outputSize = (g: WindowGeometry): number => g.batch * g.outH * g.outW * g.channels;

/** cols = receptive fields of x, over output rows (n, oh, ow) in the range of batch·outH·outW; cols rows overwritten. */
export function im2col(ctx: KernelContext, x: WasmF32, cols: WasmF32, g: WindowGeometry, range?: ChannelRange, rowRange: RowRange = {}): void {
  const { start, count } = channelRange(range, g);
  const total = g.batch * g.outH * g.outW;
  checkBuffer('im2col input', x, inputSize(g), ctx.memory);
  checkBuffer('im2col output', cols, total * g.kH * g.kW * count, ctx.memory);
  const [r0, r1] = rows(rowRange, total, 'batch·outH·outW');
  ctx.exports.im2col(x.ptr, cols.ptr, writeGeometry(ctx, g), start, count, r0, r1);
}

/** dx += the adjoint of im2col, over input rows (n, ih) in the range of batch·inH. */
export function col2im(ctx: KernelContext, cols: WasmF32, dx: WasmF32, g: WindowGeometry, range?: ChannelRange, rowRange: RowRange = {}): void {
  const { start, count } = channelRange(range, g);
  checkBuffer('col2im input', cols, g.batch * g.outH * g.outW * g.kH * g.kW * count, ctx.memory);
  checkBuffer('col2im output', dx, inputSize(g), ctx.memory);
  const [r0, r1] = rows(rowRange, g.batch * g.inH, 'batch·inH');
  ctx.exports.col2im(cols.ptr, dx.ptr, writeGeometry(ctx, g), start, count, r0, r1);
}

/** y = max over each window and argmax = flat index into x of the first maximum, over output rows (n, oh) of batch·outH. */
export function maxPool(ctx: KernelContext, x: WasmF32, y: WasmF32, argmax: WasmF32, g: WindowGeometry, rowRange: RowRange = {}): void {
  checkBuffer('maxPool input', x, inputSize(g), ctx.memory);
  checkBuffer('maxPool output', y, outputSize(g), ctx.memory);
  checkBuffer('maxPool argmax', argmax, outputSize(g), ctx.memory);
  const [r0, r1] = rows(rowRange, g.batch * g.outH, 'batch·outH');
  ctx.exports.maxPool(x.ptr, y.ptr, argmax.ptr, writeGeometry(ctx, g), r0, r1);
}

/** dx = max pooling's input gradient, over input rows (n, ih) of batch·inH (overwritten). */
export function maxPoolBackward(ctx: KernelContext, dy: WasmF32, argmax: WasmF32, dx: WasmF32, g: WindowGeometry, rowRange: RowRange = {}): void {
  checkBuffer('maxPoolBackward output gradient', dy, outputSize(g), ctx.memory);
  checkBuffer('maxPoolBackward argmax', argmax, outputSize(g), ctx.memory);
  checkBuffer('maxPoolBackward input gradient', dx, inputSize(g), ctx.memory);
  const [r0, r1] = rows(rowRange, g.batch * g.inH, 'batch·inH');
  ctx.exports.maxPoolBackward(dy.ptr, argmax.ptr, dx.ptr, writeGeometry(ctx, g), r0, r1);
}

/** y = mean of the real elements of each window, over output rows (n, oh) of batch·outH. */
export function avgPool(ctx: KernelContext, x: WasmF32, y: WasmF32, g: WindowGeometry, rowRange: RowRange = {}): void {
  checkBuffer('avgPool input', x, inputSize(g), ctx.memory);
  checkBuffer('avgPool output', y, outputSize(g), ctx.memory);
  const [r0, r1] = rows(rowRange, g.batch * g.outH, 'batch·outH');
  ctx.exports.avgPool(x.ptr, y.ptr, writeGeometry(ctx, g), r0, r1);
}

/** dx = average pooling's input gradient, over input rows (n, ih) of batch·inH (overwritten). */
export function avgPoolBackward(ctx: KernelContext, dy: WasmF32, dx: WasmF32, g: WindowGeometry, rowRange: RowRange = {}): void {
  checkBuffer('avgPoolBackward output gradient', dy, outputSize(g), ctx.memory);
  checkBuffer('avgPoolBackward input gradient', dx, inputSize(g), ctx.memory);
  const [r0, r1] = rows(rowRange, g.batch * g.inH, 'batch·inH');
  ctx.exports.avgPoolBackward(dy.ptr, dx.ptr, writeGeometry(ctx, g), r0, r1);
}
