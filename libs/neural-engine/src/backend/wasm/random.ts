import type { Rng } from '../../rng.js';
import type { WasmF32 } from './float-arena.js';
import { check } from './rows.js';
import type { KernelContext } from './window.js';

/* Typed, checked call of the module's dropout keep mask (assembly/random.ts). */

/**
 * mask[0..n) = keep where rng.uniform() ≥ rate, else 0, drawing from `rng` and advancing it exactly as n calls of
 * uniform() would. `state` is 4 words of memory for the generator's state while the kernel runs.
 */
export function keepMask(ctx: KernelContext, rng: Rng, mask: WasmF32, n: number, rate: number, keep: number, state: WasmF32): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`keep mask of ${n} values: expected a non-negative integer`);
  check(ctx, 'keep mask', mask, n);
  check(ctx, 'generator state', state, 4);
  const words = new Int32Array(ctx.memory.buffer, state.ptr, 4);
  words.set(rng.getState());
  ctx.exports.keepMask(state.ptr, mask.ptr, n, rate, keep);
  rng.setState(Array.from(words));
}
