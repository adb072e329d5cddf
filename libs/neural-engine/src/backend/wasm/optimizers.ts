import { OPTIMIZER_RULES, type OptimizerRule, type Slots, type UpdateCoefficients } from '../../kernels/optimizer-updates.js';
import type { WasmF32 } from './float-arena.js';
import { type Range, check, span } from './rows.js';
import type { KernelContext } from './window.js';

/* Typed, checked calls of the module's fused optimizer updates (assembly/optimizers.ts). */

const RULES = Object.keys(OPTIMIZER_RULES) as OptimizerRule[];

/**
 * One step of `rule` over the elements in `range` of w, g and the slots, all of one length. A slot the rule requires
 * must be given: the kernel reads an absent one as pointer 0.
 */
export function optimizerUpdate<R extends OptimizerRule>(
  ctx: KernelContext, rule: R, w: WasmF32, g: WasmF32, slots: Slots<WasmF32>, c: UpdateCoefficients<R>, range: Range = {},
): void {
  const n = w.length;
  const { slots: names, coefficients }: { slots: readonly string[]; coefficients: readonly string[] } = OPTIMIZER_RULES[rule];
  if (slots.length > names.length) throw new RangeError(`${rule} takes ${names.length} slots, not ${slots.length}`);
  check(ctx, `${rule} parameter`, w, n);
  check(ctx, `${rule} gradient`, g, n);
  const pointers = names.map((name, i) => {
    const slot = slots[i];
    if (slot) check(ctx, `${rule} ${name.replace('?', '')}`, slot, n);
    else if (!name.endsWith('?')) throw new RangeError(`${rule} slot ${name} missing`);
    return slot?.ptr ?? 0;
  });
  const [start, end] = span(range, n, `${rule} elements`);
  const [s0 = 0, s1 = 0, s2 = 0] = pointers;
  const [c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0] = coefficients.map((name) => (c as Readonly<Record<string, number>>)[name]!);
  ctx.exports.optimizerUpdate(RULES.indexOf(rule), w.ptr, g.ptr, s0, s1, s2, c0, c1, c2, c3, c4, c5, c6, c7, start, end);
}
