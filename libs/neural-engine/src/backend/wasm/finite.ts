import type { WasmF32 } from './float-arena.js';
import { check } from './rows.js';
import type { KernelContext } from './window.js';

/** The checked call of the module's allFinite (assembly/finite.ts) over the first `n` floats of x. */
export function allFinite(ctx: KernelContext, x: WasmF32, n: number): boolean {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`allFinite of ${n} floats: expected a non-negative 32-bit integer`);
  check(ctx, 'allFinite input', x, n);
  return ctx.exports.allFinite(x.ptr, n) === 1;
}
