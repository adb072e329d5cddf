import { describe, expect, it } from 'vitest';
import { concatBytes, decodeWeights } from './weight-decode.js';
import { matchWeights } from './weight-match.js';

/** Little-endian bytes written with a DataView, one writer per value. */
function bytes(n: number, write: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(n);
  write(new DataView(out.buffer));
  return out;
}

describe('decodeWeights', () => {
  it('reads float32 and int32 little-endian, one weight after another', () => {
    const data = bytes(16, (v) => {
      v.setFloat32(0, 1.5, true);
      v.setFloat32(4, -2.25, true);
      v.setInt32(8, -7, true);
      v.setInt32(12, 300000, true);
    });
    const [a, b] = decodeWeights([{ name: 'a', shape: [2], dtype: 'float32' }, { name: 'b', shape: [1, 2], dtype: 'int32' }], data);
    expect(Array.from(a!.values)).toEqual([1.5, -2.25]);
    expect(b).toEqual({ name: 'b', shape: [1, 2], values: Float32Array.from([-7, 300000]) });
  });

  it('dequantizes TF.js uint8 and uint16 (q·scale + min) and float16', () => {
    // uint8 [0, 10, 255] with scale 0.5, min -1 → [-1, 4, 126.5]; uint16 [1000] with scale 0.001, min 2 → 3;
    // float16 0x3c00 = 1, 0xc000 = -2, 0x3555 = 0.333251953125 (1 + 341/1024) / 4, 0x0001 = 2^-24 (subnormal).
    const data = bytes(3 + 2 + 8, (v) => {
      v.setUint8(0, 0);
      v.setUint8(1, 10);
      v.setUint8(2, 255);
      v.setUint16(3, 1000, true);
      v.setUint16(5, 0x3c00, true);
      v.setUint16(7, 0xc000, true);
      v.setUint16(9, 0x3555, true);
      v.setUint16(11, 0x0001, true);
    });
    const [q8, q16, half] = decodeWeights([
      { name: 'q8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'q16', shape: [1], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 2 } },
      { name: 'half', shape: [4], dtype: 'float32', quantization: { dtype: 'float16' } },
    ], data);
    expect(Array.from(q8!.values)).toEqual([-1, 4, 126.5]);
    expect(q16!.values[0]).toBeCloseTo(3, 6);
    expect(Array.from(half!.values)).toEqual([1, -2, Math.fround((1 + 341 / 1024) / 4), Math.fround(2 ** -24)]);
  });

  it('concatBytes joins shards of either kind', () => {
    const joined = concatBytes([Uint8Array.from([1, 2]), Uint8Array.from([3]).buffer, new Uint8Array(0)]);
    expect(Array.from(joined)).toEqual([1, 2, 3]);
  });
});

describe('matchWeights', () => {
  const w = (name: string, shape: number[], first: number) => ({ name, shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => first + i) });

  it('matches by exact name regardless of file order', () => {
    const out = matchWeights([{ name: 'd/kernel', shape: [1, 2] }, { name: 'd/bias', shape: [2] }], [w('d/bias', [2], 10), w('d/kernel', [1, 2], 0)]);
    expect(out.map((a) => Array.from(a))).toEqual([[0, 1], [10, 11]]);
  });

  it('matches Keras 2 converter names (lstm/lstm_cell/kernel:0) within the layer, in order, by their last segment', () => {
    const file = [w('lstm/lstm_cell/kernel:0', [2, 8], 0), w('lstm/lstm_cell/recurrent_kernel:0', [2, 8], 100), w('lstm/lstm_cell/bias:0', [8], 200)];
    const out = matchWeights([{ name: 'lstm/kernel', shape: [2, 8] }, { name: 'lstm/recurrent_kernel', shape: [2, 8] }, { name: 'lstm/bias', shape: [8] }], file);
    expect(out.map((a) => a[0])).toEqual([0, 100, 200]);
  });

  it('keeps forward before backward for wrappers whose inner names differ (Bidirectional)', () => {
    const file = [w('bi/forward_lstm/kernel', [1], 1), w('bi/forward_lstm/bias', [1], 2), w('bi/backward_lstm/kernel', [1], 3), w('bi/backward_lstm/bias', [1], 4)];
    const expected = ['bi/forward/kernel', 'bi/forward/bias', 'bi/backward/kernel', 'bi/backward/bias'].map((name) => ({ name, shape: [1] }));
    expect(matchWeights(expected, file).map((a) => a[0])).toEqual([1, 2, 3, 4]);
  });

  it('finds layers under a model scope (Keras 3 variable paths), preferring a layer of the same name at the top', () => {
    const file = [w('sequential/dense/kernel', [1], 1), w('sequential/dense/bias', [1], 2), w('dense_1/kernel', [1], 3)];
    const expected = ['dense/kernel', 'dense/bias', 'dense_1/kernel'].map((name) => ({ name, shape: [1] }));
    expect(matchWeights(expected, file).map((a) => a[0])).toEqual([1, 2, 3]);
    // A segment must equal the layer name: dense_1's weights are not dense's.
    expect(() => matchWeights([{ name: 'dense/kernel', shape: [1] }], [w('model/dense_1/kernel', [1], 0)])).toThrow('missing weight dense/kernel');
  });
});
