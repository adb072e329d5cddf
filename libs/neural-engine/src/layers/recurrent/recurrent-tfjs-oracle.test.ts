import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { testInputs } from '../../testing/gradient-check.js';
import { type LayerConfig, createLayer } from '../index.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * TensorFlow.js 4.22 as an oracle for the recurrent layers and wrappers, in float32: the same input and weights
 * (copied in with setWeights) give every output, dL/dx and every dL/dw (L = Σ_k Σ y_k·r_k) within rtol 1e-4 / atol
 * 1e-5, and the weights have TF.js's order, shapes and names (after the layer's own name). Differences from Keras 3
 * that TF.js does not share are not tested here: TF.js defaults recurrentActivation to hard_sigmoid (Keras 3:
 * sigmoid), so the oracle configs set it; TF.js GRU supports only resetAfter false (resetAfter true is checked against a
 * hand-derived step in gru-reset-after.test.ts); TF.js ignores Bidirectional's backwardLayer (checked against the two
 * layers run separately in recurrent-behaviour.test.ts).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface OracleCase {
  label: string;
  config: LayerConfig;
  oracle: () => tf.layers.Layer;
  inputShape: Shape;
  /** A [batch, steps] timestep mask passed to both implementations. */
  mask?: number[];
}

const BATCH = 2;
const sig = { recurrentActivation: 'sigmoid' } as const;

const cases: OracleCase[] = [
  { label: 'SimpleRNN', config: { type: 'SimpleRNN', units: 3 }, oracle: () => tf.layers.simpleRNN({ units: 3 }), inputShape: [4, 3] },
  {
    label: 'SimpleRNN returnSequences goBackwards relu',
    config: { type: 'SimpleRNN', units: 3, returnSequences: true, goBackwards: true, activation: 'relu' },
    oracle: () => tf.layers.simpleRNN({ units: 3, returnSequences: true, goBackwards: true, activation: 'relu' }),
    inputShape: [4, 2],
  },
  {
    label: 'SimpleRNN returnState',
    config: { type: 'SimpleRNN', units: 2, returnState: true },
    oracle: () => tf.layers.simpleRNN({ units: 2, returnState: true }),
    inputShape: [3, 2],
  },
  { label: 'LSTM', config: { type: 'LSTM', units: 3 }, oracle: () => tf.layers.lstm({ units: 3, ...sig }), inputShape: [4, 3] },
  {
    label: 'LSTM returnSequences returnState',
    config: { type: 'LSTM', units: 3, returnSequences: true, returnState: true },
    oracle: () => tf.layers.lstm({ units: 3, returnSequences: true, returnState: true, ...sig }),
    inputShape: [4, 2],
  },
  {
    label: 'LSTM goBackwards, no bias',
    config: { type: 'LSTM', units: 2, goBackwards: true, useBias: false, returnSequences: true },
    oracle: () => tf.layers.lstm({ units: 2, goBackwards: true, useBias: false, returnSequences: true, ...sig }),
    inputShape: [3, 3],
  },
  {
    label: 'LSTM with a timestep mask, returnSequences returnState',
    config: { type: 'LSTM', units: 2, returnSequences: true, returnState: true },
    oracle: () => tf.layers.lstm({ units: 2, returnSequences: true, returnState: true, ...sig }),
    inputShape: [4, 2],
    mask: [1, 1, 1, 0, 0, 1, 0, 1],
  },
  {
    label: 'GRU resetAfter false',
    config: { type: 'GRU', units: 3, resetAfter: false },
    oracle: () => tf.layers.gru({ units: 3, ...sig }),
    inputShape: [4, 3],
  },
  {
    label: 'GRU resetAfter false, returnSequences returnState goBackwards',
    config: { type: 'GRU', units: 2, resetAfter: false, returnSequences: true, returnState: true, goBackwards: true },
    oracle: () => tf.layers.gru({ units: 2, returnSequences: true, returnState: true, goBackwards: true, ...sig }),
    inputShape: [3, 2],
  },
  {
    label: 'GRU resetAfter false with a timestep mask',
    config: { type: 'GRU', units: 2, resetAfter: false, returnSequences: true },
    oracle: () => tf.layers.gru({ units: 2, returnSequences: true, ...sig }),
    inputShape: [3, 2],
    mask: [1, 0, 1, 0, 1, 1],
  },
  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mergeMode) => ({
    label: `Bidirectional(LSTM) ${mergeMode}, returnSequences`,
    // TF.js keeps weight names unique per process, so each case names its wrapper differently.
    config: { type: 'Bidirectional', name: `bi_${mergeMode}`, layer: { type: 'LSTM', units: 2, returnSequences: true, name: 'rnn' }, mergeMode },
    oracle: () => tf.layers.bidirectional({ name: `bi_${mergeMode}`, layer: tf.layers.lstm({ units: 2, returnSequences: true, name: 'rnn', ...sig }) as tf.RNN, mergeMode }),
    inputShape: [3, 2],
  })),
  {
    label: 'Bidirectional(GRU resetAfter false) concat, last output',
    config: { type: 'Bidirectional', layer: { type: 'GRU', units: 3, resetAfter: false, name: 'rnn' } },
    oracle: () => tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, name: 'rnn', ...sig }) as tf.RNN }),
    inputShape: [4, 2],
  },
  {
    label: 'TimeDistributed(Dense)',
    config: { type: 'TimeDistributed', layer: { type: 'Dense', units: 3, activation: 'tanh' } },
    oracle: () => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) }),
    inputShape: [4, 2],
  },
];

function expectClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(ours.length, what).toBe(theirs.length);
  for (let i = 0; i < ours.length; i++) {
    const tolerance = 1e-5 + 1e-4 * Math.abs(theirs[i]!);
    if (!(Math.abs(ours[i]! - theirs[i]!) <= tolerance)) expect.fail(`${what}[${i}]: ours ${ours[i]} vs TF.js ${theirs[i]}`);
  }
}

/** The part of a weight name after the layer's own name: `bi/forward_rnn/kernel` → `forward_rnn/kernel`. */
const suffix = (name: string): string => name.slice(name.indexOf('/') + 1);

describe('recurrent layers agree with TensorFlow.js', () => {
  it.each(cases)('$label', ({ config, oracle, inputShape, mask }) => {
    const backend = testBackend();
    const layer = createLayer({ name: 'ours', ...config });
    layer.buildMany([inputShape], { backend, rng: new Rng(3) });
    // Random values everywhere (including biases, which initialize to zeros/ones), so every term is exercised.
    layer.variables.forEach((v, k) => v.value.data.set(testInputs(v.value.size, 0.7, 30 + k)));
    const xShape = [BATCH, ...inputShape];
    const xs = testInputs(shapeSize(xShape), 1.5, 9);
    const x = backend.fromValues(xShape, xs);
    if (mask) layer.inputMask = backend.fromValues([BATCH, inputShape[0]!], mask);
    const ys = layer.callMany([x], true);
    const rs = ys.map((y, k) => testInputs(y.size, 1, 20 + k));
    const [dx] = layer.callBackwardMany(ys.map((y, k) => backend.fromValues(y.shape, rs[k]!)));

    const theirs = oracle();
    const tx = tf.tensor(Array.from(xs), [...xShape]);
    const kwargs = mask ? { mask: tf.tensor(mask, [BATCH, inputShape[0]!], 'bool') } : {};
    theirs.apply(tx, kwargs);
    expect(theirs.weights.map((w) => [suffix(w.name), w.shape])).toEqual(layer.variables.map((v) => [suffix(v.name), [...v.value.shape]]));
    theirs.setWeights(layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));

    const outputsOf = (input: tf.Tensor): tf.Tensor[] => {
      const out = theirs.apply(input, kwargs) as tf.Tensor | tf.Tensor[];
      return Array.isArray(out) ? out : [out];
    };
    const tys = outputsOf(tx);
    expect(tys.map((t) => t.shape)).toEqual(ys.map((y) => [...y.shape]));
    tys.forEach((t, k) => expectClose(ys[k]!.data, t.dataSync(), `output ${k}`));

    const loss = (input: tf.Tensor): tf.Scalar =>
      tf.addN(outputsOf(input).map((t, k) => t.mul(tf.tensor(Array.from(rs[k]!), t.shape)).sum())) as tf.Scalar;
    expectClose(dx!.data, tf.grad(loss)(tx).dataSync(), 'dL/dx');
    const variables = theirs.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(tx), variables);
    variables.forEach((v, k) => expectClose(layer.variables[k]!.grad.data, grads[v.name]!.dataSync(), `dL/d${layer.variables[k]!.name}`));
  });
});

describe('Bidirectional with a timestep mask', () => {
  it('agrees with TensorFlow.js at kept steps and outputs zeros at masked steps (Keras 3 zero_output_for_mask)', () => {
    // TF.js repeats the previous output at a masked step, as a plain RNN does; Keras 3's Bidirectional forces
    // zero_output_for_mask = return_sequences on both layers, so the kept steps are compared and masked ones must be 0.
    const backend = testBackend();
    const [steps, features, units] = [3, 2, 2];
    const mask = [1, 1, 0, 0, 1, 1];
    const layer = createLayer({ type: 'Bidirectional', name: 'bi_mask', layer: { type: 'SimpleRNN', units, returnSequences: true, name: 'rnn' } });
    layer.build([steps, features], { backend, rng: new Rng(3) });
    layer.variables.forEach((v, k) => v.value.data.set(testInputs(v.value.size, 0.7, 30 + k)));
    const xs = testInputs(BATCH * steps * features, 1.5, 9);
    layer.inputMask = backend.fromValues([BATCH, steps], mask);
    const y = layer.call(backend.fromValues([BATCH, steps, features], xs), false);

    const theirs = tf.layers.bidirectional({ name: 'bi_mask', layer: tf.layers.simpleRNN({ units, returnSequences: true, name: 'rnn' }) as tf.RNN });
    const tx = tf.tensor(Array.from(xs), [BATCH, steps, features]);
    const kwargs = { mask: tf.tensor(mask, [BATCH, steps], 'bool') };
    theirs.apply(tx, kwargs);
    theirs.setWeights(layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape])));
    const ty = (theirs.apply(tx, kwargs) as tf.Tensor).dataSync();
    const width = 2 * units;
    let compared = 0;
    for (let i = 0; i < y.size; i++) {
      const kept = mask[Math.floor(i / width)] === 1;
      if (!kept) expect(y.data[i]).toBe(0);
      else {
        expectClose([y.data[i]!], [ty[i]!], `output[${i}]`);
        compared++;
      }
    }
    expect(compared).toBe(4 * width);
  });
});
