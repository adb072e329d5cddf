import type { WasmF32 } from './float-arena.js';
import type { KernelContext } from './window.js';

/*
 * Typed, checked calls of the module's row and element-wise kernels (bias add, bias gradient, axpy, scale), bitwise
 * equal to the JS backend's loops. Each takes the range of its iteration space a thread computes.
 */

/** A half-open range [start, end) of rows, columns or elements. */
export interface Range {
  start?: number;
  end?: number;
}

export function span(range: Range, total: number, what: string): [number, number] {
  const { start = 0, end = total } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > total || start > end) {
    throw new RangeError(`${what} [${start}, ${end}): expected 0 <= start <= end <= ${total}`);
  }
  return [start, end];
}

export function check(ctx: KernelContext, name: string, buffer: WasmF32, need: number): void {
  if (buffer.length < need) throw new RangeError(`${name} holds ${buffer.length} floats; expected at least ${need}`);
  const bytes = ctx.memory.buffer.byteLength;
  if (buffer.ptr % 4 !== 0 || buffer.ptr < 0 || buffer.ptr + need * 4 > bytes) {
    throw new RangeError(`${name} at byte ${buffer.ptr} (${need} floats): expected a 4-byte aligned range inside the ${bytes}-byte memory`);
  }
}

function checkDims(rows: number, cols: number): void {
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`${name} = ${v}: expected a non-negative 32-bit integer`);
  }
}

/** out[r, c] = x[r, c] + v[c] over x seen as [rows, cols], for the rows in `range`. `out` may be `x`. */
export function addRowVector(ctx: KernelContext, x: WasmF32, v: WasmF32, out: WasmF32, rows: number, cols: number, range: Range = {}): void {
  checkDims(rows, cols);
  check(ctx, 'addRowVector input', x, rows * cols);
  check(ctx, 'addRowVector vector', v, cols);
  check(ctx, 'addRowVector output', out, rows * cols);
  const [r0, r1] = span(range, rows, 'addRowVector rows');
  ctx.exports.addRowVector(x.ptr, v.ptr, out.ptr, cols, r0, r1);
}

/** out[c] = Σ_r x[r, c] (summed in float64) over x seen as [rows, cols], for the columns in `range`. */
export function sumRows(ctx: KernelContext, x: WasmF32, out: WasmF32, rows: number, cols: number, range: Range = {}): void {
  checkDims(rows, cols);
  check(ctx, 'sumRows input', x, rows * cols);
  check(ctx, 'sumRows output', out, cols);
  const [c0, c1] = span(range, cols, 'sumRows columns');
  ctx.exports.sumRows(x.ptr, out.ptr, rows, cols, c0, c1);
}

/** target[i] += alpha · x[i] (in float64, rounded once) for the elements in `range` of `target`. */
export function axpy(ctx: KernelContext, target: WasmF32, alpha: number, x: WasmF32, range: Range = {}): void {
  if (x.length !== target.length) throw new RangeError(`cannot accumulate ${x.length} values into ${target.length}`);
  check(ctx, 'axpy target', target, target.length);
  check(ctx, 'axpy input', x, x.length);
  const [i0, i1] = span(range, target.length, 'axpy elements');
  ctx.exports.axpy(target.ptr, alpha, x.ptr, i0, i1);
}

/** out[i] = x[i] · s (in float64, rounded once) for the elements in `range`. `out` may be `x`. */
export function scale(ctx: KernelContext, x: WasmF32, s: number, out: WasmF32, range: Range = {}): void {
  if (x.length !== out.length) throw new RangeError(`scale of ${x.length} values into an output of ${out.length}`);
  check(ctx, 'scale input', x, x.length);
  check(ctx, 'scale output', out, out.length);
  const [i0, i1] = span(range, x.length, 'scale elements');
  ctx.exports.scale(x.ptr, s, out.ptr, i0, i1);
}

/** x[i] = value (rounded to f32) for the elements in `range`. */
export function fill(ctx: KernelContext, x: WasmF32, value: number, range: Range = {}): void {
  check(ctx, 'fill target', x, x.length);
  const [i0, i1] = span(range, x.length, 'fill elements');
  ctx.exports.fill(x.ptr, value, i0, i1);
}

/** The element-wise ops of the module's `elementwise`, by their codes there. */
export const ELEMENTWISE = { add: 0, multiply: 1 } as const;
export type ElementwiseOp = keyof typeof ELEMENTWISE;

/** out = a + b or a·b over the elements in `range`, all three of one length (`out` may be a or b). */
export function elementwise(ctx: KernelContext, op: ElementwiseOp, a: WasmF32, b: WasmF32, out: WasmF32, range: Range = {}): void {
  if (a.length !== b.length || a.length !== out.length) throw new RangeError(`${op} of ${a.length} and ${b.length} values into an output of ${out.length}`);
  check(ctx, `${op} input`, a, a.length);
  check(ctx, `${op} input`, b, b.length);
  check(ctx, `${op} output`, out, out.length);
  const [i0, i1] = span(range, a.length, `${op} elements`);
  ctx.exports.elementwise(ELEMENTWISE[op], a.ptr, b.ptr, out.ptr, i0, i1);
}
