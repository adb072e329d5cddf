import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../../backend/js-backend.js';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { testInputs } from '../../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * What the TF.js layers cannot check: groups (TF.js convolutions have none), Conv2DTranspose outputPadding (checked
 * against the tf.conv2dTranspose op given Keras's output shape, which is what Keras's TF backend calls) and dilation
 * (against a scatter written from the definition), keepdims, GlobalAveragePooling1D masks, and "same" average pooling
 * worked out by hand.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(ours.length, `${what} length`).toBe(theirs.length);
  for (let i = 0; i < ours.length; i++) {
    if (!(Math.abs(ours[i]! - theirs[i]!) <= 1e-5 + 1e-4 * Math.abs(theirs[i]!))) expect.fail(`${what}[${i}]: ours ${ours[i]} vs ${theirs[i]}`);
  }
}

function run(config: LayerConfig, inputShape: Shape, batch = 2): { layer: Layer; xs: Float64Array; y: Float32Array; r: Float64Array; dx: Float32Array } {
  const backend = testBackend();
  const layer = createLayer({ name: 'ours', biasInitializer: { type: 'RandomUniform', minval: -0.5, maxval: 0.5 }, ...config });
  layer.build(inputShape, { backend, rng: new Rng(7) });
  const xs = testInputs(batch * shapeSize(inputShape), 2, 31);
  const y = layer.call(backend.fromValues([batch, ...inputShape], xs), true);
  const r = testInputs(y.size, 1, 8);
  const dx = layer.callBackward(backend.fromValues(y.shape, r));
  return { layer, xs, y: y.data as Float32Array, r, dx: dx.data as Float32Array };
}

const weightTensors = (layer: Layer): tf.Tensor[] => layer.variables.map((v) => tf.tensor(Array.from(v.value.data), [...v.value.shape]));

describe('groups: a grouped convolution is the concatenation of TF.js convolutions over channel and filter slices', () => {
  const cases = [
    { label: 'Conv2D groups 2, same, strides (2, 1)', config: { type: 'Conv2D', filters: 4, kernelSize: [2, 3], groups: 2, padding: 'same', strides: [2, 1] }, inputShape: [5, 4, 4] },
    { label: 'Conv2D groups 3, valid', config: { type: 'Conv2D', filters: 6, kernelSize: 2, groups: 3 }, inputShape: [4, 4, 3] },
    { label: 'Conv1D groups 2, same, stride 2', config: { type: 'Conv1D', filters: 2, kernelSize: 3, groups: 2, padding: 'same', strides: 2 }, inputShape: [7, 4] },
  ];
  it.each(cases)('$label', ({ config, inputShape }) => {
    const { layer, xs, y, r, dx } = run(config, inputShape);
    const groups = config.groups;
    const [kernel, bias] = weightTensors(layer) as [tf.Tensor, tf.Tensor];
    const rank = inputShape.length - 1;
    const channels = inputShape[rank]!;
    const perGroup = channels / groups;
    const fpg = config.filters / groups;
    const f = (x: tf.Tensor): tf.Tensor => {
      const outs = Array.from({ length: groups }, (_, i) => {
        const xi = tf.slice(x, [...Array(rank + 1).fill(0), i * perGroup], [...Array(rank + 1).fill(-1), perGroup]);
        const ki = tf.slice(kernel, [...Array(rank).fill(0), 0, i * fpg], [...Array(rank).fill(-1), -1, fpg]);
        const opts = { strides: config.strides ?? 1, padding: (config.padding ?? 'valid') as 'valid' | 'same' };
        return rank === 1
          ? tf.conv1d(xi as tf.Tensor3D, ki as tf.Tensor3D, opts.strides as number, opts.padding)
          : tf.conv2d(xi as tf.Tensor4D, ki as tf.Tensor4D, opts.strides as [number, number], opts.padding);
      });
      return tf.concat(outs, -1).add(bias);
    };
    const tx = tf.tensor(Array.from(xs), [2, ...inputShape]);
    const ty = f(tx);
    expectClose(y, ty.dataSync(), 'y');
    const tr = tf.tensor(Array.from(r), ty.shape);
    expectClose(dx, tf.grad((x: tf.Tensor) => f(x).mul(tr).sum())(tx).dataSync(), 'dL/dx');
  });
});

describe('Conv2DTranspose outputPadding and dilation', () => {
  const cases = [
    { label: 'valid, strides 2, outputPadding 1: (3 - 1)·2 + 3 + 1 = 8 rows', padding: 'valid', strides: [2, 2], outputPadding: [1, 1], kernelSize: [3, 3], outShape: [8, 6] },
    { label: 'same, strides 2, outputPadding 1: (3 - 1)·2 + 3 % 2 + 1 = 6 rows', padding: 'same', strides: [2, 2], outputPadding: [1, 1], kernelSize: [3, 3], outShape: [6, 4] },
    { label: 'same, strides 2, outputPadding 0: (3 - 1)·2 + 1 = 5 rows', padding: 'same', strides: [2, 2], outputPadding: [0, 0], kernelSize: [3, 3], outShape: [5, 3] },
    { label: 'valid, strides (2, 3), outputPadding (1, 2), kernel 2', padding: 'valid', strides: [2, 3], outputPadding: [1, 2], kernelSize: [2, 2], outShape: [7, 7] },
  ] as const;
  it.each(cases)('$label (against tf.conv2dTranspose with that output shape)', ({ padding, strides, outputPadding, kernelSize, outShape }) => {
    const inputShape = [3, 2, 2];
    const { layer, xs, y, r, dx } = run({ type: 'Conv2DTranspose', filters: 3, kernelSize: [...kernelSize], strides: [...strides], padding, outputPadding: [...outputPadding] }, inputShape);
    expect(layer.outputShape).toEqual([...outShape, 3]);
    const [kernel, bias] = weightTensors(layer) as [tf.Tensor4D, tf.Tensor];
    const f = (x: tf.Tensor): tf.Tensor => tf.conv2dTranspose(x as tf.Tensor4D, kernel, [2, ...outShape, 3], [...strides], padding).add(bias);
    const tx = tf.tensor4d(Array.from(xs), [2, 3, 2, 2]);
    const ty = f(tx);
    expectClose(y, ty.dataSync(), 'y');
    const tr = tf.tensor(Array.from(r), ty.shape);
    expectClose(dx, tf.grad((x: tf.Tensor) => f(x).mul(tr).sum())(tx).dataSync(), 'dL/dx');
  });

  it('dilation 2, same: matches the definition y[i·s + k·d - padTop] += x[i]·kernel[k] (no TF.js op has dilation)', () => {
    const inputShape = [3, 3, 2];
    const { layer, xs, y } = run({ type: 'Conv2DTranspose', filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', useBias: false }, inputShape, 1);
    // Output 3x3 (stride 1, "same"); the transposed convolution has span 3, so TF pads 1 before and 1 after.
    expect(layer.outputShape).toEqual([3, 3, 2]);
    const k = layer.variables[0]!.value.data; // [2, 2, filters 2, in 2]
    const expected = new Float64Array(3 * 3 * 2);
    for (let ih = 0; ih < 3; ih++) for (let iw = 0; iw < 3; iw++) for (let c = 0; c < 2; c++) {
      for (let ki = 0; ki < 2; ki++) for (let kj = 0; kj < 2; kj++) {
        const oh = ih + 2 * ki - 1;
        const ow = iw + 2 * kj - 1;
        if (oh < 0 || oh >= 3 || ow < 0 || ow >= 3) continue;
        for (let f = 0; f < 2; f++) expected[(oh * 3 + ow) * 2 + f]! += xs[(ih * 3 + iw) * 2 + c]! * k[((ki * 2 + kj) * 2 + f) * 2 + c]!;
      }
    }
    expectClose(y, expected, 'y');
  });
});

describe('pooling values by hand', () => {
  const backend = new JsBackend('float64');
  const apply = (config: LayerConfig, shape: Shape, values: number[]): { y: number[]; shape: Shape; layer: Layer } => {
    const layer = createLayer(config);
    layer.build(shape.slice(1), { backend, rng: new Rng(1) });
    const y = layer.call(backend.fromValues(shape, values), true);
    return { y: Array.from(y.data), shape: y.shape, layer };
  };

  it('"same" average pooling divides a partial window by its real elements', () => {
    // Length 3, pool 2, stride 2: 2 outputs, 1 padding element after: windows [1, 2] and [4].
    expect(apply({ type: 'AveragePooling1D', poolSize: 2, padding: 'same' }, [1, 3, 1], [1, 2, 4]).y).toEqual([1.5, 4]);
    // 3x3, pool 2, stride 1 "same": the last row and column windows hold 2 elements, the corner 1.
    const { y } = apply({ type: 'AveragePooling2D', poolSize: 2, strides: 1, padding: 'same' }, [1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(y).toEqual([3, 4, 4.5, 6, 7, 7.5, 7.5, 8.5, 9]);
  });

  it('"same" max pooling ignores padding even when every real value is negative', () => {
    expect(apply({ type: 'MaxPooling1D', poolSize: 3, strides: 1, padding: 'same' }, [1, 3, 1], [-3, -1, -2]).y).toEqual([-1, -1, -1]);
  });

  it('keepdims keeps the pooled axes with length 1', () => {
    const values = [1, -2, 3, 4, 0, -6, 2, 8, 5, 1, -1, 7];
    const r = apply({ type: 'GlobalAveragePooling2D', keepdims: true }, [1, 2, 3, 2], values);
    expect(r.shape).toEqual([1, 1, 1, 2]);
    // Channel 0 holds 1, 3, 0, 2, 5, -1 and channel 1 holds -2, 4, -6, 8, 1, 7 (the mean is a sum times 1/6).
    expect(r.y[0]).toBeCloseTo(10 / 6, 14);
    expect(r.y[1]).toBeCloseTo(2, 14);
    const m = apply({ type: 'GlobalMaxPooling1D', keepdims: true }, [1, 6, 2], values);
    expect(m.shape).toEqual([1, 1, 2]);
    expect(m.y).toEqual([5, 8]);
  });

  it('GlobalAveragePooling1D averages only unmasked steps, passes no mask on, and a fully masked sample gives 0', () => {
    const layer = createLayer({ type: 'GlobalAveragePooling1D' });
    layer.build([3, 2], { backend, rng: new Rng(1) });
    expect(layer.supportsMasking).toBe(true);
    layer.inputMask = backend.fromValues([2, 3], [1, 0, 1, 0, 0, 0]);
    const y = layer.call(backend.fromValues([2, 3, 2], [1, 10, 100, 1000, 3, 30, 5, 6, 7, 8, 9, 10]), true);
    expect(Array.from(y.data)).toEqual([2, 20, 0, 0]);
    expect(layer.computeOutputMask()).toBeNull();
    const dx = layer.callBackward(backend.fromValues([2, 2], [1, 2, 3, 4]));
    expect(Array.from(dx.data)).toEqual([0.5, 1, 0, 0, 0.5, 1, 0, 0, 0, 0, 0, 0]);
  });
});
