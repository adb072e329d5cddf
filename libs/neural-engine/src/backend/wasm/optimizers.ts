import type { AdamCoefficients } from '../../kernels/optimizer-updates.js';
import type { WasmF32 } from './float-arena.js';
import { type Range, check, span } from './rows.js';
import type { KernelContext } from './window.js';

/* Typed, checked calls of the module's fused optimizer updates (assembly/optimizers.ts). */

/** Adam over the elements in `range` of w, g, m, v (and vHat with AMSGrad), all of one length. */
export function adamUpdate(
  ctx: KernelContext, w: WasmF32, g: WasmF32, m: WasmF32, v: WasmF32, vHat: WasmF32 | null, c: AdamCoefficients, range: Range = {},
): void {
  const n = w.length;
  for (const [name, buffer] of [['adam parameter', w], ['adam gradient', g], ['adam m', m], ['adam v', v], ['adam vHat', vHat]] as const) {
    if (buffer) check(ctx, name, buffer, n);
  }
  const [start, end] = span(range, n, 'adam elements');
  ctx.exports.adamUpdate(w.ptr, g.ptr, m.ptr, v.ptr, vHat?.ptr ?? 0, c.alpha, c.beta1, c.beta2, c.epsilon, start, end);
}
