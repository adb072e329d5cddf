import type { WasmF32 } from './float-arena.js';
import { type Range, check, span } from './rows.js';
import type { KernelContext } from './window.js';

/**
 * The checked call of the module's softmaxCrossentropyBackward (assembly/softmax-crossentropy.ts) for the rows in
 * `range`: probs, labels and out hold [rows, classes] f32; rowScale is a buffer of `rows` f64 (2·rows floats, 8-byte
 * aligned).
 */
export function softmaxCrossentropyBackward(
  ctx: KernelContext, probs: WasmF32, labels: WasmF32, rowScale: WasmF32, out: WasmF32, rows: number, classes: number, labelSmoothing: number,
  range: Range = {},
): void {
  if (!Number.isInteger(rows) || !Number.isInteger(classes) || rows < 0 || classes < 0 || rows * classes > 0x7fffffff) {
    throw new RangeError(`softmax crossentropy of ${rows} rows of ${classes} classes: expected non-negative integers within 32 bits`);
  }
  check(ctx, 'softmax crossentropy probabilities', probs, rows * classes);
  check(ctx, 'softmax crossentropy labels', labels, rows * classes);
  check(ctx, 'softmax crossentropy output', out, rows * classes);
  check(ctx, 'softmax crossentropy row scales', rowScale, 2 * rows);
  if (rowScale.ptr % 8 !== 0) throw new RangeError(`softmax crossentropy row scales at byte ${rowScale.ptr}: expected 8-byte alignment (f64)`);
  const [r0, r1] = span(range, rows, 'softmax crossentropy rows');
  ctx.exports.softmaxCrossentropyBackward(probs.ptr, labels.ptr, rowScale.ptr, out.ptr, classes, labelSmoothing, r0, r1);
}
