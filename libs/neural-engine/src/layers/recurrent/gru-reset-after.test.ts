import { describe, expect, it } from 'vitest';
import '../index.js'; // the layer registry first: recurrent/ is part of its import cycle
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { Rng } from '../../rng.js';
import { GRU } from './gru.js';

/*
 * Keras 3's default GRU (resetAfter true, bias [2, 3·units]: input row, recurrent row) is absent from TF.js, so it is
 * checked against the Keras 3 GRUCell equations worked through by hand for one unit over two steps:
 *   z = σ(x·wz + bz + h·uz + cz), r = σ(x·wr + br + h·ur + cr), hh = tanh(x·wh + bh + r·(h·uh + ch)),
 *   h' = z·h + (1 - z)·hh
 * (and, for contrast, resetAfter false: hh = tanh(x·wh + bh + (r·h)·uh), one bias row).
 */

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const [wz, wr, wh] = [0.4, -0.7, 1.1];
const [uz, ur, uh] = [0.3, 0.8, -0.6];
const [bz, br, bh] = [0.1, -0.2, 0.05];
const [cz, cr, ch] = [-0.3, 0.25, 0.5];
const xs = [0.5, -1.2];

function build(resetAfter: boolean): GRU {
  const layer = new GRU({ units: 1, resetAfter, returnSequences: true });
  layer.build([2, 1], { backend, rng: new Rng(1) });
  const [kernel, recurrent, bias] = layer.variables;
  kernel!.value.data.set([wz, wr, wh]);
  recurrent!.value.data.set([uz, ur, uh]);
  bias!.value.data.set(resetAfter ? [bz, br, bh, cz, cr, ch] : [bz, br, bh]);
  return layer;
}

describe('GRU resetAfter (Keras 3 default)', () => {
  it('defaults to resetAfter true with a [2, 3·units] bias', () => {
    const layer = new GRU({ units: 4 });
    layer.build([3, 2], { backend, rng: new Rng(1) });
    expect(layer.resetAfter).toBe(true);
    expect(layer.variables.map((v) => [v.name.split('/').pop(), v.value.shape])).toEqual([
      ['kernel', [2, 12]], ['recurrent_kernel', [4, 12]], ['bias', [2, 12]],
    ]);
  });

  it('matches the hand-derived two-step values with resetAfter true', () => {
    let h = 0;
    const expected: number[] = [];
    for (const x of xs) {
      const z = sigmoid(x * wz + bz + h * uz + cz);
      const r = sigmoid(x * wr + br + h * ur + cr);
      const hh = Math.tanh(x * wh + bh + r * (h * uh + ch));
      h = z * h + (1 - z) * hh;
      expected.push(h);
    }
    const y = build(true).call(backend.fromValues([1, 2, 1], xs), false);
    expect(Array.from(y.data)).toEqual(expected.map((v) => expect.closeTo(v, 12)));
  });

  it('differs from resetAfter false, which matches its own hand-derived values', () => {
    let h = 0;
    const expected: number[] = [];
    for (const x of xs) {
      const z = sigmoid(x * wz + bz + h * uz);
      const r = sigmoid(x * wr + br + h * ur);
      const hh = Math.tanh(x * wh + bh + r * h * uh);
      h = z * h + (1 - z) * hh;
      expected.push(h);
    }
    const before = build(false).call(backend.fromValues([1, 2, 1], xs), false);
    expect(Array.from(before.data)).toEqual(expected.map((v) => expect.closeTo(v, 12)));
    const after = build(true).call(backend.fromValues([1, 2, 1], xs), false);
    expect(Math.abs(after.data[1]! - before.data[1]!)).toBeGreaterThan(1e-3);
  });
});
