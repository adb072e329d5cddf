import { describe, expect, it } from 'vitest';
import { type Layer, createLayer } from '../index.js';
import { Rng } from '../../rng.js';
import type { FloatArray, Tensor } from '../../tensor.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * An LSTM whose cell runs fused takes the whole sequence in one backend op (Backend.lstmSequence, and in training
 * lstmSequenceBackward); with a mask it runs step by step. An all-ones mask changes nothing, so it gives the
 * step-by-step path on the same numbers: outputs and gradients must match it bit for bit, except the recurrent
 * kernel's gradient, which the whole-sequence path sums as one product over every step instead of step by step.
 */

const backend = testBackend();
const bits = (a: FloatArray): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const [batch, steps, features, units] = [5, 7, 3, 6];
const rng = new Rng(31);
const values = (n: number, scale: number) => Array.from({ length: n }, () => rng.uniformRange(-scale, scale));
const x = backend.fromValues([batch, steps, features], values(batch * steps * features, 2));
const allKept = backend.fromValues([batch, steps], Array(batch * steps).fill(1));

function lstm(form: Record<string, unknown>): Layer {
  const layer = createLayer({ type: 'LSTM', name: 'lstm', units, ...form });
  layer.build([steps, features], { backend, rng: new Rng(3) });
  // Non-zero biases, so the input projections carry them.
  for (const v of layer.variables) if (v.value.shape.length === 1) v.value.data.set(values(v.value.size, 0.5));
  return layer;
}

/** Forward and backward with or without the all-ones mask: the outputs, dx, and each variable's gradient. */
function run(layer: Layer, masked: boolean, training: boolean): { outputs: Tensor[]; dx: Tensor | null; grads: Map<string, FloatArray> } {
  for (const v of layer.variables) v.grad.data.fill(0);
  layer.inputMask = masked ? allKept : null;
  const outputs = layer.callMany([x], training) as Tensor[];
  if (!training) return { outputs, dx: null, grads: new Map() };
  const seeded = new Rng(9);
  const dys = outputs.map((o) => backend.fromValues(o.shape, Array.from({ length: o.size }, () => seeded.uniformRange(-1, 1))));
  const [dx] = layer.callBackwardMany(dys);
  return { outputs, dx: dx!, grads: new Map(layer.variables.map((v) => [v.name, Float32Array.from(v.grad.data)])) };
}

const forms = [
  {}, { returnSequences: true }, { returnState: true }, { goBackwards: true, returnSequences: true, returnState: true },
  { recurrentActivation: 'hard_sigmoid', returnSequences: true },
];

describe('LSTM over the whole sequence in one op', () => {
  it.each(forms.map((form) => [JSON.stringify(form), form] as const))('%s: inference gives the bits of the step-by-step path', (_, form) => {
    const layer = lstm(form);
    const whole = run(layer, false, false).outputs;
    const stepwise = run(layer, true, false).outputs;
    whole.forEach((t, k) => expect(bits(t.data).equals(bits(stepwise[k]!.data)), `output ${k}`).toBe(true));
  });

  it.each(forms.map((form) => [JSON.stringify(form), form] as const))('%s: training gives its outputs and gradients', (_, form) => {
    const layer = lstm(form);
    const whole = run(layer, false, true);
    const stepwise = run(layer, true, true);
    whole.outputs.forEach((t, k) => expect(bits(t.data).equals(bits(stepwise.outputs[k]!.data)), `output ${k}`).toBe(true));
    expect(bits(whole.dx!.data).equals(bits(stepwise.dx!.data)), 'dx').toBe(true);
    for (const [name, grad] of whole.grads) {
      const expected = stepwise.grads.get(name)!;
      if (!name.endsWith('recurrent_kernel')) {
        expect(bits(grad).equals(bits(expected)), name).toBe(true);
        continue;
      }
      const scale = Math.max(...Array.from(expected, Math.abs));
      for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i]! - expected[i]!), `${name}[${i}]`).toBeLessThanOrEqual(2e-6 * scale);
    }
  });
});
