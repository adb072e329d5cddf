import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { JsBackend } from '../backend/js-backend.js';
import { sliceColumns } from '../layers/recurrent/columns.js';
import { Rng } from '../rng.js';
import type { Tensor } from '../tensor.js';
import type { ActivationKernel } from './activations.js';
import type { LstmKinds } from './lstm-cell.js';

/*
 * The fused LSTM step against the sequence of tensor ops the LSTM layer ran before it (kept here as the reference):
 * bitwise equal in float32 and float64, for Keras's default activations and for other kernel pairs.
 */

function unfusedForward(b: Backend, kinds: LstmKinds, z: Tensor, cPrev: Tensor) {
  const u = cPrev.shape[1]!;
  const pre = [0, 1, 2, 3].map((k) => sliceColumns(b, z, k * u, u));
  const gates = pre.map((p, k) => b.activation(k === 2 ? kinds.cell : kinds.gate, p));
  const [i, f, g, o] = gates as [Tensor, Tensor, Tensor, Tensor];
  const c = b.map(cPrev, (cp, n) => f.data[n]! * cp + i.data[n]! * g.data[n]!);
  const cellOut = b.activation(kinds.cell, c);
  return { pre, gates, c, cellOut, h: b.multiply(o, cellOut) };
}

function unfusedBackward(b: Backend, kinds: LstmKinds, z: Tensor, cPrev: Tensor, dh: Tensor, dcNext: Tensor) {
  const { pre, gates, c, cellOut } = unfusedForward(b, kinds, z, cPrev);
  const [i, f, g, o] = gates as [Tensor, Tensor, Tensor, Tensor];
  const dO = b.multiply(dh, cellOut);
  const dc = b.activationGradient(kinds.cell, c, cellOut, b.multiply(dh, o));
  b.addInPlace(dc, dcNext);
  const dGates = [b.multiply(dc, g), b.multiply(dc, cPrev), b.multiply(dc, i), dO];
  const blocks = dGates.map((d, k) => b.activationGradient(k === 2 ? kinds.cell : kinds.gate, pre[k]!, gates[k]!, d));
  return { blocks, dcPrev: b.multiply(dc, f) };
}

/** Columns of the [rows, 4u] tensor t as four [rows, u] blocks' values. */
const blocksOf = (b: Backend, t: Tensor, u: number): number[][] => [0, 1, 2, 3].map((k) => Array.from(sliceColumns(b, t, k * u, u).data));
const same = (a: ArrayLike<number>, e: ArrayLike<number>) => expect(Array.from(a).map(String)).toEqual(Array.from(e).map(String));

const pairs: [ActivationKernel, ActivationKernel][] = [['sigmoid', 'tanh'], ['relu', 'sigmoid'], ['tanh', 'relu']];

describe.each(['float32', 'float64'] as const)('fused LSTM step (%s)', (dtype) => {
  const b = new JsBackend(dtype);
  const rng = new Rng(13);
  for (const [gate, cell] of pairs) {
    for (const [rows, u] of [[1, 1], [3, 5], [8, 16]] as const) {
      it(`gate ${gate}, cell ${cell}, ${rows} rows × ${u} units: bitwise equal to the unfused ops`, () => {
        const kinds = { gate, cell };
        const z = b.fromValues([rows, 4 * u], Array.from({ length: rows * 4 * u }, () => rng.uniformRange(-6, 6)));
        z.data[0] = 0; // relu's corner
        const cPrev = b.fromValues([rows, u], Array.from({ length: rows * u }, () => rng.uniformRange(-2, 2)));
        const dh = b.fromValues([rows, u], Array.from({ length: rows * u }, () => rng.uniformRange(-1, 1)));
        const dc = b.fromValues([rows, u], Array.from({ length: rows * u }, () => rng.uniformRange(-1, 1)));

        const fused = b.lstmCell(kinds, z, cPrev);
        const ref = unfusedForward(b, kinds, z, cPrev);
        blocksOf(b, fused.gates, u).forEach((block, k) => same(block, ref.gates[k]!.data));
        same(fused.c.data, ref.c.data);
        same(fused.cellOut.data, ref.cellOut.data);
        same(fused.h.data, ref.h.data);

        const back = b.lstmCellBackward(kinds, fused, dh, dc);
        const refBack = unfusedBackward(b, kinds, z, cPrev, dh, dc);
        blocksOf(b, back.dz, u).forEach((block, k) => same(block, refBack.blocks[k]!.data));
        same(back.dcPrev.data, refBack.dcPrev.data);
      });
    }
  }

  it('rejects mismatched shapes', () => {
    expect(() => b.lstmCell({ gate: 'sigmoid', cell: 'tanh' }, b.zeros([2, 12]), b.zeros([2, 4])))
      .toThrow(/LSTM step pre-activations \(2, 12\) for a cell state \(2, 4\): expected \[2, 16\]/);
    const step = b.lstmCell({ gate: 'sigmoid', cell: 'tanh' }, b.zeros([2, 16]), b.zeros([2, 4]));
    expect(() => b.lstmCellBackward({ gate: 'sigmoid', cell: 'tanh' }, step, b.zeros([2, 3]), b.zeros([2, 4])))
      .toThrow(/LSTM step tensors of 6 and 8 values/);
  });
});
