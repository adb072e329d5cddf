import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../rng.js';
import { Sequential } from './sequential.js';

/*
 * The backward pass stops at the first layer that learns: that layer accumulates only its weight gradients (for a
 * Dense, no dL/dx product), and the layers before it are not visited. Weight updates stay what they were.
 */

function data(batch: number, features: number, classes: number) {
  const rng = new Rng(3);
  const x = Array.from({ length: batch }, () => Array.from({ length: features }, () => rng.uniformRange(-1, 1)));
  const y = Array.from({ length: batch }, (_, i) => i % classes);
  return { x, y };
}

function model(layers: object[]): Sequential {
  const m = Sequential.fromDefinition({ type: 'Sequential', seed: 4, layers } as never);
  m.compile({ optimizer: { type: 'SGD', learningRate: 0.1 }, loss: 'sparse_categorical_crossentropy' });
  return m;
}

describe('Sequential backward', () => {
  it('gives the first Dense the same weight gradients without computing its input gradient', () => {
    const { x, y } = data(6, 5, 3);
    const layers = [{ type: 'InputLayer', shape: [5] }, { type: 'Dense', units: 4, activation: 'tanh' }, { type: 'Dense', units: 3, activation: 'softmax' }];
    const a = model(layers);
    a.trainOnBatch(x, y);
    // The same step with the full backward pass on every layer, as before the shortcut existed.
    const b = model(layers);
    const first = b.layers.find((l) => l.learns)!;
    vi.spyOn(first, 'callBackwardWeightsOnly').mockImplementation((dy) => void first.callBackward(dy));
    b.trainOnBatch(x, y);
    expect(b.getWeights().map((w) => Array.from(w))).toEqual(a.getWeights().map((w) => Array.from(w)));

    const c = model(layers);
    const dense = c.layers.find((l) => l.learns)!;
    const backward = vi.spyOn(dense, 'backward');
    c.trainOnBatch(x, y);
    expect(backward).not.toHaveBeenCalled();
  });

  it('does not visit layers before the first that learns, and skips a frozen first layer', () => {
    const { x, y } = data(4, 3, 2);
    const m = model([
      { type: 'InputLayer', shape: [3] },
      { type: 'Dense', units: 4, activation: 'relu', trainable: false },
      { type: 'Dropout', rate: 0.5 },
      { type: 'Dense', units: 2, activation: 'softmax' },
    ]);
    const [, frozen, dropout, last] = m.layers;
    const before = Array.from(frozen!.variables[0]!.value.data);
    const calls = [frozen!, dropout!].map((l) => vi.spyOn(l, 'callBackward'));
    const lastBefore = Array.from(last!.variables[0]!.value.data);
    m.trainOnBatch(x, y);
    for (const spy of calls) expect(spy).not.toHaveBeenCalled();
    expect(Array.from(frozen!.variables[0]!.value.data)).toEqual(before);
    expect(Array.from(last!.variables[0]!.value.data)).not.toEqual(lastBefore);
  });

  // A first convolution skips its dL/dx product and col2im: one group (the backend's conv2dKernelGradient), grouped
  // (a product per group), and Conv1D (the same layer at rank 1), strided and padded so col2im would have overlaps.
  // The kernel gradient itself is checked elsewhere (finite differences in layers/convolution/gradients.test.ts, the
  // naive convolution in wasm-backend-conv.test.ts); here, that skipping dL/dx leaves every weight as it was.
  for (const [name, input, conv] of [
    ['Conv2D', [7, 6, 2], { type: 'Conv2D', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }],
    ['grouped Conv2D', [6, 6, 4], { type: 'Conv2D', filters: 6, kernelSize: [3, 2], strides: 2, groups: 2, activation: 'tanh' }],
    ['Conv1D', [9, 3], { type: 'Conv1D', filters: 5, kernelSize: 3, dilationRate: 2 }],
  ] as const) {
    it(`gives a first ${name} the same weight gradients without computing its input gradient`, () => {
      const rng = new Rng(11);
      const batch = 5;
      const size = input.reduce((a, b) => a * b, 1);
      const x = { shape: [batch, ...input], data: Float32Array.from({ length: batch * size }, () => rng.uniformRange(-1, 1)) };
      const y = Array.from({ length: batch }, (_, i) => i % 3);
      const layers = [{ type: 'InputLayer', shape: input }, conv, { type: 'Flatten' }, { type: 'Dense', units: 3, activation: 'softmax' }];
      const a = model(layers);
      const spied = a.layers.find((l) => l.learns)!;
      const backward = vi.spyOn(spied, 'backward');
      a.trainOnBatch(x, y);
      expect(backward).not.toHaveBeenCalled();
      const b = model(layers);
      const first = b.layers.find((l) => l.learns)!;
      vi.spyOn(first, 'callBackwardWeightsOnly').mockImplementation((dy) => void first.callBackward(dy));
      b.trainOnBatch(x, y);
      expect(b.getWeights().map((w) => Array.from(w))).toEqual(a.getWeights().map((w) => Array.from(w)));
    });
  }
});
