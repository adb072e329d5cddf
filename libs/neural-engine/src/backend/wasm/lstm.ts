import type { WasmF32 } from './float-arena.js';
import { RECORD_WIDTH } from '../lstm-sequence.js';
import { type Range, check, span } from './rows.js';
import type { KernelContext } from './window.js';

/* Typed, checked calls of the module's LSTM kernels with sigmoid gates and a tanh cell (assembly/lstm.ts). */

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

/** An LSTM sequence's sizes and direction, as its kernels take them. */
export interface SequenceDims {
  readonly batch: number;
  readonly steps: number;
  readonly units: number;
  readonly goBackwards: boolean;
}

/** A training record's buffers (see Backend.lstmSequence): [batch, steps, 7·units] and hPrev [batch, steps, units]. */
export interface RecordBuffers {
  readonly steps: WasmF32;
  readonly hPrev: WasmF32;
}

function checkDims({ batch, steps, units }: SequenceDims): void {
  if (![batch, steps, units].every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`LSTM sequence of ${batch} rows × ${steps} steps × ${units} units: expected non-negative integers`);
  }
}

/**
 * An LSTM layer's forward pass over rows [range.start, range.end) of the batch (all by default), every step: xz
 * [batch, steps, 4·units], recurrentKernel [units, 4·units], h and c [batch, units] (initial states in, last out), seq
 * [batch, steps, units] or null, z [batch, 4·units] working memory, `record` (training) or null. `scratch` is this
 * thread's gemm scratch (the kernel packs the recurrent kernel into it once, for every step).
 */
export function lstmSequenceSigmoidTanh(
  ctx: KernelContext, xz: WasmF32, recurrentKernel: WasmF32, h: WasmF32, c: WasmF32, seq: WasmF32 | null, z: WasmF32,
  record: RecordBuffers | null, dims: SequenceDims, scratch: WasmF32, range: Range = {},
): void {
  checkDims(dims);
  const { batch, steps, units, goBackwards } = dims;
  check(ctx, 'LSTM input projections', xz, batch * steps * 4 * units);
  check(ctx, 'LSTM recurrent kernel', recurrentKernel, units * 4 * units);
  check(ctx, 'LSTM h', h, batch * units);
  check(ctx, 'LSTM cell state', c, batch * units);
  if (seq) check(ctx, 'LSTM sequence', seq, batch * steps * units);
  check(ctx, 'LSTM pre-activations', z, batch * 4 * units);
  if (record) checkRecord(ctx, record, dims);
  checkScratch(ctx, scratch);
  const [start, end] = span(range, batch, 'LSTM rows');
  ctx.exports.lstmSequenceSigmoidTanh(
    xz.ptr, recurrentKernel.ptr, h.ptr, c.ptr, seq?.ptr ?? 0, z.ptr, record?.steps.ptr ?? 0, record?.hPrev.ptr ?? 0,
    batch, steps, units, +goBackwards, start, end, scratch.ptr,
  );
}

/**
 * Its backward pass over rows [range.start, range.end): dOut ([batch, steps, units] with returnSequences, else
 * [batch, units]), dh and dc [batch, units] (last states' gradients in, initial states' out), dxz [batch, steps,
 * 4·units] out, work [batch, 5·units].
 */
export function lstmSequenceBackwardSigmoidTanh(
  ctx: KernelContext, record: RecordBuffers, recurrentKernel: WasmF32, dOut: WasmF32, dh: WasmF32, dc: WasmF32, dxz: WasmF32,
  work: WasmF32, dims: SequenceDims & { returnSequences: boolean }, scratch: WasmF32, range: Range = {},
): void {
  checkDims(dims);
  const { batch, steps, units, goBackwards, returnSequences } = dims;
  checkRecord(ctx, record, dims);
  check(ctx, 'LSTM recurrent kernel', recurrentKernel, units * 4 * units);
  check(ctx, 'LSTM output gradient', dOut, batch * (returnSequences ? steps : 1) * units);
  check(ctx, 'LSTM dh', dh, batch * units);
  check(ctx, 'LSTM dc', dc, batch * units);
  check(ctx, 'LSTM input projection gradient', dxz, batch * steps * 4 * units);
  check(ctx, 'LSTM backward work', work, batch * 5 * units);
  checkScratch(ctx, scratch);
  const [start, end] = span(range, batch, 'LSTM rows');
  const flags = (goBackwards ? 1 : 0) | (returnSequences ? 2 : 0);
  ctx.exports.lstmSequenceBackwardSigmoidTanh(
    record.steps.ptr, recurrentKernel.ptr, dOut.ptr, dh.ptr, dc.ptr, dxz.ptr, work.ptr, batch, steps, units, flags, start, end, scratch.ptr,
  );
}

/** The sequence kernels run gemm in it and keep the packed recurrent kernel there: a whole gemm scratch. */
function checkScratch(ctx: KernelContext, scratch: WasmF32): void {
  check(ctx, 'LSTM gemm scratch', scratch, ctx.exports.gemmScratchBytes() / 4);
  if (scratch.ptr % 16 !== 0) throw new RangeError(`LSTM gemm scratch at byte ${scratch.ptr}: expected a 16-byte aligned offset`);
}

function checkRecord(ctx: KernelContext, record: RecordBuffers, { batch, steps, units }: SequenceDims): void {
  check(ctx, 'LSTM record', record.steps, batch * steps * RECORD_WIDTH * units);
  check(ctx, 'LSTM record hPrev', record.hPrev, batch * steps * units);
}

/**
 * The backward step over rows [range.start, range.end) (all by default): from the forward's gates [rows, 4·units],
 * cPrev and cellOut, and dh, dcNext [rows, units], writes dz [rows, 4·units] and dcPrev [rows, units].
 */
export function lstmBackwardSigmoidTanh(
  ctx: KernelContext, gates: WasmF32, cPrev: WasmF32, cellOut: WasmF32, dh: WasmF32, dcNext: WasmF32, dz: WasmF32, dcPrev: WasmF32,
  rows: number, units: number, range: Range = {},
): void {
  if (!Number.isInteger(rows) || !Number.isInteger(units) || rows < 0 || units < 0) {
    throw new RangeError(`LSTM backward step of ${rows} rows × ${units} units: expected non-negative integers`);
  }
  check(ctx, 'LSTM gates', gates, rows * 4 * units);
  check(ctx, 'LSTM pre-activation gradient', dz, rows * 4 * units);
  for (const [name, buffer] of [['LSTM previous cell state', cPrev], ['LSTM cell output', cellOut], ['LSTM dh', dh], ['LSTM dc', dcNext], ['LSTM dcPrev', dcPrev]] as const) {
    check(ctx, name, buffer, rows * units);
  }
  const [start, end] = span(range, rows, 'LSTM rows');
  ctx.exports.lstmBackwardSigmoidTanh(gates.ptr, cPrev.ptr, cellOut.ptr, dh.ptr, dcNext.ptr, dz.ptr, dcPrev.ptr, units, start, end);
}
