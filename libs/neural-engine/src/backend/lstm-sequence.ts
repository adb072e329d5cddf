import type { ActivationKernel } from '../kernels/activations.js';
import type { LstmKinds } from '../kernels/lstm-cell.js';
import { type Tensor, formatShape } from '../tensor.js';
import type { LstmSequenceRecord } from './backend.js';

/*
 * What both backends' whole-sequence LSTM ops (Backend.lstmSequence, lstmSequenceBackward) share: the record's layout,
 * the copies between step tensors and sequence tensors that the reference loops make, and the argument checks.
 */

/** Units per row and step of a training record: gates (4), cPrev, c, cellOut (the layout assembly/lstm.ts writes). */
export const RECORD_WIDTH = 7;
/** Where gates, cPrev, c and cellOut start in a record's row, in units. */
export const RECORD_OFFSETS = [0, 4, 5, 6] as const;

/** Copies rows between [batch, n] step tensors and a block of each (row, step) of [batch, steps, width·units] tensors. */
export class SequenceRows {
  constructor(
    readonly batch: number,
    readonly steps: number,
    readonly units: number,
  ) {}

  /** out[b, :] = seq[b, t, offset·units …] for rows of `width`·units; returns out. */
  gather(seq: Tensor, t: number, width: number, offset: number, out: Tensor): Tensor {
    const n = out.size / this.batch;
    for (let b = 0; b < this.batch; b++) {
      const at = ((b * this.steps + t) * width + offset) * this.units;
      out.data.set(seq.data.subarray(at, at + n), b * n);
    }
    return out;
  }

  /** seq[b, t, offset·units …] = x[b, :] for rows of `width`·units. */
  scatter(x: Tensor, seq: Tensor, t: number, width: number, offset: number): void {
    const n = x.size / this.batch;
    for (let b = 0; b < this.batch; b++) seq.data.set(x.data.subarray(b * n, (b + 1) * n), ((b * this.steps + t) * width + offset) * this.units);
  }
}

const RECORDED: readonly ActivationKernel[] = ['sigmoid', 'tanh'];

/** A record keeps no pre-activations: only activations whose slopes read their outputs (sigmoid, tanh) can use one. */
export function recordable(kinds: LstmKinds): boolean {
  return RECORDED.includes(kinds.gate) && RECORDED.includes(kinds.cell);
}

export function checkRecordedKinds(kinds: LstmKinds): void {
  if (!recordable(kinds)) {
    throw new RangeError(`LSTM sequence record with gate ${kinds.gate} and cell ${kinds.cell}: expected sigmoid or tanh for both (their slopes read only the outputs)`);
  }
}

/** [batch, steps, units] of Backend.lstmSequence's operands, checked against each other. */
export function lstmSequenceDims(xz: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor): [batch: number, steps: number, units: number] {
  const [batch = 0, steps = 0, width = 0] = xz.shape;
  const units = width / 4;
  const expected = `xz [batch, steps, 4·units], recurrent kernel [units, 4·units], h0 and c0 [batch, units]`;
  const fits = xz.shape.length === 3 && Number.isInteger(units) && recurrentKernel.shape.length === 2 &&
    recurrentKernel.shape[0] === units && recurrentKernel.shape[1] === width &&
    [h0, c0].every((s) => s.shape.length === 2 && s.shape[0] === batch && s.shape[1] === units);
  if (!fits) {
    const got = [xz, recurrentKernel, h0, c0].map((t) => formatShape(t.shape, false)).join(', ');
    throw new RangeError(`LSTM sequence operands ${got}: expected ${expected}`);
  }
  return [batch, steps, units];
}

/** [batch, steps, units] of Backend.lstmSequenceBackward's operands, checked against the record. */
export function lstmRecordDims(
  record: LstmSequenceRecord<Tensor>, recurrentKernel: Tensor, dOut: Tensor, dh: Tensor, dc: Tensor, returnSequences: boolean,
): [batch: number, steps: number, units: number] {
  const [batch = 0, steps = 0, units = 0] = record.hPrev.shape;
  const is = (t: Tensor, shape: number[]) => t.shape.length === shape.length && shape.every((d, i) => t.shape[i] === d);
  const fits = record.hPrev.shape.length === 3 && is(record.steps, [batch, steps, RECORD_WIDTH * units]) &&
    is(recurrentKernel, [units, 4 * units]) && is(dOut, returnSequences ? [batch, steps, units] : [batch, units]) &&
    is(dh, [batch, units]) && is(dc, [batch, units]);
  if (!fits) {
    const got = [record.steps, record.hPrev, recurrentKernel, dOut, dh, dc].map((t) => formatShape(t.shape, false)).join(', ');
    throw new RangeError(`LSTM sequence backward operands ${got}: expected the record [batch, steps, ${RECORD_WIDTH}·units] and hPrev [batch, steps, units], recurrent kernel [units, 4·units], dOut ${returnSequences ? '[batch, steps, units]' : '[batch, units]'}, dh and dc [batch, units]`);
  }
  return [batch, steps, units];
}
