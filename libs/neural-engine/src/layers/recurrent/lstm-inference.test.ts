import { describe, expect, it } from 'vitest';
import { createLayer } from '../index.js';
import { Rng } from '../../rng.js';
import type { FloatArray, Tensor } from '../../tensor.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * In inference an LSTM whose cell runs fused takes the whole sequence in one backend op (Backend.lstmSequence); in
 * training it runs step by step and keeps what backward needs. Both must give the same bits, for every output form.
 */

const backend = testBackend();
const bits = (a: FloatArray): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('LSTM inference over the whole sequence', () => {
  const rng = new Rng(31);
  const [batch, steps, features, units] = [5, 7, 3, 6];
  const x = backend.fromValues([batch, steps, features], Array.from({ length: batch * steps * features }, () => rng.uniformRange(-2, 2)));
  const forms = [
    {}, { returnSequences: true }, { returnState: true }, { goBackwards: true, returnSequences: true, returnState: true },
    { recurrentActivation: 'hard_sigmoid', returnSequences: true },
  ];
  it.each(forms.map((form) => [JSON.stringify(form), form] as const))('%s: the same bits as the training forward pass', (_, form) => {
    const layer = createLayer({ type: 'LSTM', name: 'lstm', units, ...form });
    layer.build([steps, features], { backend, rng: new Rng(3) });
    // Non-zero biases, so the input projections carry them.
    for (const v of layer.variables) if (v.value.shape.length === 1) v.value.data.forEach((_, i, d) => (d[i] = rng.uniformRange(-0.5, 0.5)));
    const inference = layer.callMany([x], false) as Tensor[];
    const training = layer.callMany([x], true) as Tensor[];
    expect(inference.map((t) => t.shape)).toEqual(training.map((t) => t.shape));
    inference.forEach((t, k) => expect(bits(t.data).equals(bits(training[k]!.data)), `output ${k}`).toBe(true));
  });
});
