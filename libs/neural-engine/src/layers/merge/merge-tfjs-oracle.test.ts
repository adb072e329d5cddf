import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { testInputs } from '../../testing/gradient-check.js';
import { type LayerConfig, createLayer } from '../index.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * TensorFlow.js 4.22 (whose merge layers follow Keras) as an oracle: the same inputs give the same output and the same
 * dL/dx of every input for L = Σ y·r (tf.grads). Both sides compute in float32: rtol 1e-4, atol 1e-5.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface OracleCase {
  label: string;
  config: LayerConfig;
  /** TF.js's computation of the output from the input tensors. */
  oracle: (xs: tf.Tensor[]) => tf.Tensor;
  inputShapes: Shape[];
  /** Explicit per-sample-batch inputs (row-major, batch 2); random in [-2, 2] (with 0 and negatives) otherwise. */
  inputs?: number[][];
}

const BATCH = 2;

/** An oracle that applies a TF.js layer (created once per case, so both apply calls use the same layer). */
function layer(make: () => tf.layers.Layer): (xs: tf.Tensor[]) => tf.Tensor {
  let made: tf.layers.Layer | null = null;
  return (xs) => (made ??= make()).apply(xs) as tf.Tensor;
}

// TF.js 4.22 has no Subtract layer (tf.layers.subtract does not exist); Keras's Subtract is the element-wise
// (broadcasting) subtraction x0 - x1, which tf.sub computes.
const tfSubtract = (xs: tf.Tensor[]): tf.Tensor => tf.sub(xs[0]!, xs[1]!);

// Exact ties between inputs (two- and three-way), to check that the gradient goes where TF sends it: to the first
// input holding the extreme value (tf.maximum's gradient goes to a where a >= b, tf.minimum's where a <= b).
const tieInputs = [
  [1, 2, 0, -1, 3, 3],
  [1, 0, 0, -1, 2, 3],
  [0, 2, 0, -1, 3, 1],
];

const cases: OracleCase[] = [
  { label: 'Add, 2 inputs', config: { type: 'Add' }, oracle: layer(() => tf.layers.add()), inputShapes: [[4], [4]] },
  { label: 'Add, 3 inputs', config: { type: 'Add' }, oracle: layer(() => tf.layers.add()), inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Add, broadcast (2, 3) + (1, 3) + (3,)', config: { type: 'Add' }, oracle: layer(() => tf.layers.add()), inputShapes: [[2, 3], [1, 3], [3]] },
  { label: 'Subtract', config: { type: 'Subtract' }, oracle: tfSubtract, inputShapes: [[2, 3], [2, 3]] },
  { label: 'Subtract, broadcast (2, 1) - (2, 3)', config: { type: 'Subtract' }, oracle: tfSubtract, inputShapes: [[2, 1], [2, 3]] },
  { label: 'Multiply, 2 inputs', config: { type: 'Multiply' }, oracle: layer(() => tf.layers.multiply()), inputShapes: [[4], [4]] },
  { label: 'Multiply, 3 inputs', config: { type: 'Multiply' }, oracle: layer(() => tf.layers.multiply()), inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Multiply, broadcast (2, 3) * (2, 1)', config: { type: 'Multiply' }, oracle: layer(() => tf.layers.multiply()), inputShapes: [[2, 3], [2, 1]] },
  { label: 'Average, 2 inputs', config: { type: 'Average' }, oracle: layer(() => tf.layers.average()), inputShapes: [[4], [4]] },
  { label: 'Average, 3 inputs', config: { type: 'Average' }, oracle: layer(() => tf.layers.average()), inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Average, broadcast (3,) and (2, 3)', config: { type: 'Average' }, oracle: layer(() => tf.layers.average()), inputShapes: [[3], [2, 3]] },
  { label: 'Maximum, 2 inputs', config: { type: 'Maximum' }, oracle: layer(() => tf.layers.maximum()), inputShapes: [[4], [4]] },
  { label: 'Maximum, 3 inputs', config: { type: 'Maximum' }, oracle: layer(() => tf.layers.maximum()), inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Maximum, exact ties', config: { type: 'Maximum' }, oracle: layer(() => tf.layers.maximum()), inputShapes: [[3], [3], [3]], inputs: tieInputs },
  { label: 'Minimum, 2 inputs', config: { type: 'Minimum' }, oracle: layer(() => tf.layers.minimum()), inputShapes: [[4], [4]] },
  { label: 'Minimum, 3 inputs', config: { type: 'Minimum' }, oracle: layer(() => tf.layers.minimum()), inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Minimum, exact ties', config: { type: 'Minimum' }, oracle: layer(() => tf.layers.minimum()), inputShapes: [[3], [3], [3]], inputs: tieInputs },
  { label: 'Concatenate (axis -1 default)', config: { type: 'Concatenate' }, oracle: layer(() => tf.layers.concatenate()), inputShapes: [[3], [2]] },
  {
    label: 'Concatenate axis -1, 3 inputs',
    config: { type: 'Concatenate', axis: -1 },
    oracle: layer(() => tf.layers.concatenate({ axis: -1 })),
    inputShapes: [[2, 3], [2, 1], [2, 2]],
  },
  {
    label: 'Concatenate axis 1, 3 inputs',
    config: { type: 'Concatenate', axis: 1 },
    oracle: layer(() => tf.layers.concatenate({ axis: 1 })),
    inputShapes: [[2, 3], [1, 3], [3, 3]],
  },
  {
    label: 'Concatenate axis 2 of rank-4 inputs',
    config: { type: 'Concatenate', axis: 2 },
    oracle: layer(() => tf.layers.concatenate({ axis: 2 })),
    inputShapes: [[2, 2, 3], [2, 1, 3]],
  },
  { label: 'Dot axes 1 (vectors)', config: { type: 'Dot', axes: 1 }, oracle: layer(() => tf.layers.dot({ axes: 1 })), inputShapes: [[4], [4]] },
  { label: 'Dot axes [1, 1] (3-D)', config: { type: 'Dot', axes: [1, 1] }, oracle: layer(() => tf.layers.dot({ axes: [1, 1] })), inputShapes: [[3, 2], [3, 4]] },
  { label: 'Dot axes [2, 2] (3-D)', config: { type: 'Dot', axes: [2, 2] }, oracle: layer(() => tf.layers.dot({ axes: [2, 2] })), inputShapes: [[3, 2], [4, 2]] },
  { label: 'Dot axes [2, 1] (batch matmul)', config: { type: 'Dot', axes: [2, 1] }, oracle: layer(() => tf.layers.dot({ axes: [2, 1] })), inputShapes: [[3, 2], [2, 4]] },
  { label: 'Dot axes -1 (3-D)', config: { type: 'Dot', axes: -1 }, oracle: layer(() => tf.layers.dot({ axes: -1 })), inputShapes: [[3, 4], [2, 4]] },
  { label: 'Dot axes [1, 2], 2-D with 3-D', config: { type: 'Dot', axes: [1, 2] }, oracle: layer(() => tf.layers.dot({ axes: [1, 2] })), inputShapes: [[3], [4, 3]] },
  {
    // TF.js's Dot refuses inputs of rank 4 or more (and tf.einsum has no gradient); Keras batch_dot keeps the first
    // input's remaining axes, then the second's: x[b, i, k, j]·y[b, k, l] → [b, i, j, l], which is x moved to
    // [b, i·j, k] by a transpose, times y, as TF ops.
    label: 'Dot axes [2, 1], rank-4 with rank-3 (TF ops)',
    config: { type: 'Dot', axes: [2, 1] },
    oracle: (xs) => tf.matMul(xs[0]!.transpose([0, 1, 3, 2]).reshape([BATCH, 4, 3]), xs[1]!).reshape([BATCH, 2, 2, 2]),
    inputShapes: [[2, 3, 2], [3, 2]],
  },
  {
    label: 'Dot axes 1, normalize (cosine)',
    config: { type: 'Dot', axes: 1, normalize: true },
    oracle: layer(() => tf.layers.dot({ axes: 1, normalize: true })),
    inputShapes: [[4], [4]],
  },
  {
    label: 'Dot axes [1, 1], normalize (3-D)',
    config: { type: 'Dot', axes: [1, 1], normalize: true },
    oracle: layer(() => tf.layers.dot({ axes: [1, 1], normalize: true })),
    inputShapes: [[3, 2], [3, 4]],
  },
  {
    label: 'Dot axes [2, 2], normalize (3-D)',
    config: { type: 'Dot', axes: [2, 2], normalize: true },
    oracle: layer(() => tf.layers.dot({ axes: [2, 2], normalize: true })),
    inputShapes: [[3, 2], [4, 2]],
  },
];

/** Whether every |a - b| <= atol + rtol·|b|; on failure, reports the worst element. */
function expectClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(ours.length, `${what} length`).toBe(theirs.length);
  for (let i = 0; i < ours.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(theirs[i]!);
    expect(Math.abs(ours[i]! - theirs[i]!), `${what}[${i}]: ours ${ours[i]} vs TF.js ${theirs[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe('merge layers agree with TensorFlow.js', () => {
  it.each(cases)('$label', ({ config, oracle, inputShapes, inputs }) => {
    const backend = testBackend();
    const layer = createLayer({ name: 'ours', ...config });
    layer.buildMany(inputShapes, { backend, rng: new Rng(1) });
    const full = inputShapes.map((s) => [BATCH, ...s]);
    const values = full.map((s, k) => inputs?.[k] ?? Array.from(testInputs(shapeSize(s), 2, 7 + k)));
    const xs = values.map((v, k) => backend.fromValues(full[k]!, v));
    const [y] = layer.callMany(xs, true) as [ReturnType<typeof backend.zeros>];
    const r = Array.from(testInputs(y.size, 1, 21));
    const dxs = layer.callBackwardMany([backend.fromValues(y.shape, r)]);

    const txs = values.map((v, k) => tf.tensor(v, [...full[k]!]));
    const ty = oracle(txs);
    expect(ty.shape).toEqual([...y.shape]);
    expectClose(y.data, ty.dataSync(), 'output');

    const tr = tf.tensor(r, ty.shape);
    const tdxs = tf.grads((...ts: tf.Tensor[]) => oracle(ts).mul(tr).sum())(txs);
    tdxs.forEach((tdx, k) => {
      expect(dxs[k]!.shape).toEqual(tdx.shape);
      expectClose(dxs[k]!.data, tdx.dataSync(), `dL/dx${k}`);
    });
  });
});
