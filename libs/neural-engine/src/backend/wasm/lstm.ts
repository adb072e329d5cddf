import type { WasmF32 } from './float-arena.js';
import { check } from './rows.js';
import type { KernelContext } from './window.js';

/* Typed, checked call of the module's forward LSTM step with sigmoid gates and a tanh cell (assembly/lstm.ts). */

/**
 * One step over every row: z [rows, 4·units] → gates [rows, 4·units], c, cellOut, h [rows, units]. `scratch` is this
 * thread's (16 bytes are used, for a row's last partial group of units).
 */
export function lstmForwardSigmoidTanh(
  ctx: KernelContext, z: WasmF32, cPrev: WasmF32, gates: WasmF32, c: WasmF32, cellOut: WasmF32, h: WasmF32,
  rows: number, units: number, scratch: WasmF32,
): void {
  if (!Number.isInteger(rows) || !Number.isInteger(units) || rows < 0 || units < 0) {
    throw new RangeError(`LSTM step of ${rows} rows × ${units} units: expected non-negative integers`);
  }
  check(ctx, 'LSTM pre-activations', z, rows * 4 * units);
  check(ctx, 'LSTM gates', gates, rows * 4 * units);
  for (const [name, buffer] of [['LSTM previous cell state', cPrev], ['LSTM cell state', c], ['LSTM cell output', cellOut], ['LSTM h', h]] as const) {
    check(ctx, name, buffer, rows * units);
  }
  check(ctx, 'LSTM scratch', scratch, 4);
  ctx.exports.lstmForwardSigmoidTanh(z.ptr, cPrev.ptr, gates.ptr, c.ptr, cellOut.ptr, h.ptr, units, 0, rows, scratch.ptr);
}
