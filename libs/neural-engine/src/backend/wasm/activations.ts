import type { WasmF32 } from './float-arena.js';
import { type Range, check, span } from './rows.js';
import type { KernelContext } from './window.js';

/* Typed, checked calls of the module's relu kernels (assembly/activations.ts). */

/** y = max(x, 0) over the elements in `range`. `y` may be `x`. */
export function reluForward(ctx: KernelContext, x: WasmF32, y: WasmF32, range: Range = {}): void {
  check(ctx, 'relu input', x, x.length);
  check(ctx, 'relu output', y, x.length);
  const [start, end] = span(range, x.length, 'relu elements');
  ctx.exports.reluForward(x.ptr, y.ptr, start, end);
}

/** dx = dy · (x > 0) over the elements in `range`. `dx` may be `dy`. */
export function reluBackward(ctx: KernelContext, x: WasmF32, dy: WasmF32, dx: WasmF32, range: Range = {}): void {
  const n = x.length;
  check(ctx, 'relu gradient input', x, n);
  check(ctx, 'relu output gradient', dy, n);
  check(ctx, 'relu input gradient', dx, n);
  const [start, end] = span(range, n, 'relu elements');
  ctx.exports.reluBackward(x.ptr, dy.ptr, dx.ptr, start, end);
}
