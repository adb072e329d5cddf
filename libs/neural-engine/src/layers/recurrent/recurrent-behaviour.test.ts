import { describe, expect, it } from 'vitest';
import { type Layer, type LayerConfig, createLayer } from '../index.js';
import { float64Backend as backend, testInputs } from '../../testing/gradient-check.js';
import { Rng } from '../../rng.js';
import type { Tensor } from '../../tensor.js';
import type { Variable } from '../variable.js';

/*
 * Keras semantics that the gradient checks and the TF.js comparison do not pin down on their own: how masked steps
 * behave, that dropout masks are drawn once per sequence and reused at every step, and which masks flow on.
 */

function built(config: LayerConfig, inputShape: number[], rng = new Rng(1)): Layer {
  const layer = createLayer({ name: 'rnn', ...config });
  layer.build(inputShape, { backend, rng });
  return layer;
}

/** Sets every weight: kernel and recurrent kernel to identities (units = features), bias to zero. */
function identityWeights(layer: Layer): void {
  for (const v of layer.variables) {
    const [rows, cols] = v.value.shape as [number, number];
    v.value.data.fill(0);
    if (v.value.shape.length === 2) for (let i = 0; i < Math.min(rows, cols); i++) v.value.data[i * cols + i] = 1;
  }
}

describe('masks (Keras RNN semantics)', () => {
  const steps = 4;
  const x = backend.fromValues([2, steps, 3], testInputs(2 * steps * 3, 1, 5));
  // Sample 0: first step masked (left padding); sample 1: last two steps masked (right padding).
  const mask = backend.fromValues([2, steps], [0, 1, 1, 1, 1, 1, 0, 0]);
  const rowOf = (t: Tensor, b: number, s: number, units: number): number[] => Array.from(t.data.subarray((b * steps + s) * units, (b * steps + s + 1) * units));

  it.each(['SimpleRNN', 'LSTM', 'GRU'])('%s: a masked step keeps the states and repeats the previous output (zeros before any kept step)', (type) => {
    const layer = built({ type, units: 2, returnSequences: true, returnState: true }, [steps, 3]);
    layer.inputMask = mask;
    const [seq, h] = layer.callMany([x], false) as [Tensor, Tensor];
    expect(rowOf(seq, 0, 0, 2)).toEqual([0, 0]);
    expect(rowOf(seq, 1, 2, 2)).toEqual(rowOf(seq, 1, 1, 2));
    expect(rowOf(seq, 1, 3, 2)).toEqual(rowOf(seq, 1, 1, 2));
    expect(Array.from(h.data.subarray(2, 4))).toEqual(rowOf(seq, 1, 1, 2));
    // A masked leading step changes nothing: sample 0 equals the same layer run on its last three steps unmasked.
    layer.inputMask = null;
    const tail = backend.fromValues([1, 3, 3], x.data.subarray(3, 12));
    const [tailSeq] = layer.callMany([tail], false) as [Tensor];
    expect(rowOf(seq, 0, 3, 2).map((v) => v.toFixed(12))).toEqual(Array.from(tailSeq.data.subarray(4, 6)).map((v) => v.toFixed(12)));
  });

  it('passes the mask on only when returning sequences; Bidirectional and TimeDistributed likewise', () => {
    const seqLayer = built({ type: 'LSTM', units: 2, returnSequences: true }, [steps, 3]);
    const lastLayer = built({ type: 'LSTM', units: 2 }, [steps, 3]);
    const bi = built({ type: 'Bidirectional', layer: { type: 'GRU', units: 2, returnSequences: true } }, [steps, 3]);
    const td = built({ type: 'TimeDistributed', layer: { type: 'Dense', units: 2 } }, [steps, 3]);
    for (const layer of [seqLayer, lastLayer, bi, td]) {
      layer.inputMask = mask;
      layer.call(x, false);
      expect(layer.supportsMasking).toBe(true);
    }
    expect(seqLayer.computeOutputMask()).toBe(mask);
    expect(lastLayer.computeOutputMask()).toBeNull();
    expect(bi.computeOutputMask()).toBe(mask);
    expect(td.computeOutputMask()).toBe(mask);
  });
});

describe('dropout (one mask per sequence, from the layer\'s random source)', () => {
  const units = 16;

  it('the input mask is the same at every step', () => {
    // Identity kernel, zero recurrent kernel, linear: output_t = x_t ⊙ mask, so with x_t = 1 everywhere every step
    // shows the mask itself.
    const layer = built({ type: 'SimpleRNN', units, activation: null, dropout: 0.5, returnSequences: true }, [3, units]);
    identityWeights(layer);
    layer.variables[1]!.value.data.fill(0);
    const y = layer.call(backend.fromValues([1, 3, units], new Array(3 * units).fill(1)), true);
    const first = Array.from(y.data.subarray(0, units));
    expect(new Set(first)).toEqual(new Set([0, 2])); // dropped, or kept and scaled by 1/(1 - 0.5)
    expect(Array.from(y.data.subarray(units, 2 * units))).toEqual(first);
    expect(Array.from(y.data.subarray(2 * units, 3 * units))).toEqual(first);
    expect(Array.from(layer.call(backend.fromValues([1, 3, units], new Array(3 * units).fill(1)), false).data).every((v) => v === 1)).toBe(true);
  });

  it('the recurrent mask is the same at every step', () => {
    // Identity kernel and recurrent kernel, linear, x = (1, 0, 0): h_1 = 1, h_2 = h_1 ⊙ m, h_3 = h_2 ⊙ m = m², which
    // holds only if the same m is reused (fresh masks would give m·m' ≠ m² somewhere among 16 units).
    const layer = built({ type: 'SimpleRNN', units, activation: null, recurrentDropout: 0.5, returnSequences: true }, [3, units]);
    identityWeights(layer);
    const input = new Array(3 * units).fill(0).map((_, i) => (i < units ? 1 : 0));
    const y = layer.call(backend.fromValues([1, 3, units], input), true);
    const m = Array.from(y.data.subarray(units, 2 * units));
    expect(new Set(m)).toEqual(new Set([0, 2]));
    expect(Array.from(y.data.subarray(2 * units, 3 * units))).toEqual(m.map((v) => v * v));
  });

  it('LSTM: one input mask for every gate, or one per gate once recurrentDropout is set (Keras 3 implementation 1)', () => {
    // Identity kernel blocks, zero recurrent kernel and bias, linear activations, x = 1: the first step gives
    // c = i·g = m_i·m_c and h = o·c = m_o·m_i·m_c, nonzero (= 8 for rate 0.5) only where every mask keeps the unit:
    // about half of 128 units (64) with one shared mask, about an eighth (16) with three independent ones.
    const nonzero = (recurrentDropout: number): number => {
      const layer = built({ type: 'LSTM', units: 128, activation: null, recurrentActivation: null, dropout: 0.5, recurrentDropout }, [1, 128]);
      const [kernel, recurrent, bias] = layer.variables as [Variable, Variable, Variable];
      kernel.value.data.fill(0);
      for (let k = 0; k < 4; k++) for (let j = 0; j < 128; j++) kernel.value.data[j * 512 + k * 128 + j] = 1;
      recurrent.value.data.fill(0);
      bias.value.data.fill(0);
      const h = layer.call(backend.fromValues([1, 1, 128], new Array(128).fill(1)), true).data;
      expect(new Set(h)).toEqual(new Set([0, 8]));
      return h.filter((v) => v !== 0).length;
    };
    expect(nonzero(0)).toBeGreaterThan(44);
    expect(nonzero(0.5)).toBeLessThan(32);
  });

  it('draws from the seeded generator when a seed is given (the model generator is untouched)', () => {
    const config = { type: 'LSTM', units: 3, dropout: 0.4, recurrentDropout: 0.4, seed: 9, returnSequences: true };
    const modelRng = new Rng(5);
    const a = built(config, [3, 2], modelRng);
    const before = modelRng.getState();
    const b = built(config, [3, 2], new Rng(5));
    const x = backend.fromValues([2, 3, 2], testInputs(12, 1, 3));
    expect(Array.from(a.call(x, true).data)).toEqual(Array.from(b.call(x, true).data));
    expect(modelRng.getState()).toEqual(before);
    expect(Array.from(a.call(x, true).data)).not.toEqual(Array.from(a.call(x, false).data));
  });
});

describe('LSTM weights', () => {
  it('unitForgetBias sets the forget block of the bias to ones (gate order i, f, c, o)', () => {
    const bias = (config: LayerConfig): number[] => Array.from(built(config, [3, 2]).variables[2]!.value.data);
    expect(bias({ type: 'LSTM', units: 2 })).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(bias({ type: 'LSTM', units: 2, unitForgetBias: false })).toEqual(new Array(8).fill(0));
    expect(bias({ type: 'LSTM', units: 2, biasInitializer: { type: 'Constant', value: 0.5 } })).toEqual([0.5, 0.5, 1, 1, 0.5, 0.5, 0.5, 0.5]);
  });

  it('the recurrent kernel is orthogonal by default (its rows orthonormal)', () => {
    const u = built({ type: 'LSTM', units: 3 }, [3, 2]).variables[1]!.value;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let dot = 0;
        for (let k = 0; k < 12; k++) dot += u.data[i * 12 + k]! * u.data[j * 12 + k]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 6);
      }
    }
  });
});

describe('Bidirectional with an explicit backward layer', () => {
  it('merges the forward layer\'s output with the backward layer\'s, each run alone with the same weights', () => {
    const forward: LayerConfig = { type: 'GRU', units: 2, returnSequences: true, resetAfter: false };
    const backward: LayerConfig = { type: 'SimpleRNN', units: 2, returnSequences: true, goBackwards: true, activation: 'relu' };
    const bi = built({ type: 'Bidirectional', layer: forward, backwardLayer: backward, mergeMode: 'ave' }, [3, 2]);
    const f = built(forward, [3, 2]);
    const b = built(backward, [3, 2]);
    [...f.variables, ...b.variables].forEach((v, k) => v.value.data.set(bi.variables[k]!.value.data));
    const x = backend.fromValues([2, 3, 2], testInputs(12, 1.5, 8));
    const y = bi.call(x, false).data;
    const yf = f.call(x, false).data;
    const yb = b.call(x, false).data; // in processing order: step s holds time 2 - s
    for (let n = 0; n < 2; n++) {
      for (let t = 0; t < 3; t++) {
        for (let u = 0; u < 2; u++) {
          const expected = (yf[(n * 3 + t) * 2 + u]! + yb[(n * 3 + (2 - t)) * 2 + u]!) / 2;
          expect(y[(n * 3 + t) * 2 + u]).toBeCloseTo(expected, 12);
        }
      }
    }
  });
});
