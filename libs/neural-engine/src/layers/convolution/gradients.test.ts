import { describe, expect, it } from 'vitest';
import { shapeSize, type Shape } from '../../tensor.js';
import { type LayerGradientCase, checkLayerGradients } from '../../testing/layer-gradient-check.js';
import type { LayerConfig } from '../layer.js';

/*
 * Finite-difference gradient checks (centered differences on the float64 backend, through checkLayerGradients) for
 * every convolution and pooling layer and every padding/stride/dilation/groups combination they support: the
 * analytic dL/dx and dL/dw must agree with the numeric ones within a max relative error of 1e-6. Keras forbids
 * strides > 1 together with dilation > 1 (config-errors.test.ts checks the rejection), so those pairs are left out.
 */

const TOLERANCE = 1e-6;

function expectGradients(c: LayerGradientCase, weights: number): void {
  const errors = checkLayerGradients(c);
  for (const [k, e] of errors.inputs.entries()) expect(e, `dL/dx${k}`).toBeLessThan(TOLERANCE);
  expect(Object.keys(errors.weights)).toHaveLength(weights);
  for (const [name, e] of Object.entries(errors.weights)) expect(e, `dL/d${name}`).toBeLessThan(TOLERANCE);
}

const withBias = (useBias: boolean): number => (useBias ? 2 : 1);

describe('Conv1D gradients', () => {
  const cases: { padding: string; strides: number; dilationRate: number; groups: number }[] = [];
  for (const padding of ['valid', 'same', 'causal']) {
    for (const [strides, dilationRate] of [[1, 1], [2, 1], [1, 2]] as const) {
      for (const groups of [1, 2]) cases.push({ padding, strides, dilationRate, groups });
    }
  }
  it.each(cases)('padding $padding, strides $strides, dilation $dilationRate, groups $groups', (args) => {
    expectGradients({ config: { type: 'Conv1D', filters: 4, kernelSize: 3, ...args }, inputShapes: [[7, 4]] }, 2);
  });

  it('with tanh, kernel and bias regularizers and an activity regularizer', () => {
    const config: LayerConfig = {
      type: 'Conv1D', filters: 3, kernelSize: 2, padding: 'same', activation: 'tanh',
      kernelRegularizer: { type: 'L2', l2: 0.1 }, biasRegularizer: { type: 'L1', l1: 0.1 }, activityRegularizer: { type: 'L2', l2: 0.05 },
      biasInitializer: { type: 'Constant', value: 0.3 },
    };
    expectGradients({ config, inputShapes: [[5, 2]] }, 2);
  });

  it('without bias', () => {
    expectGradients({ config: { type: 'Conv1D', filters: 2, kernelSize: 4, strides: 3, useBias: false }, inputShapes: [[8, 3]] }, withBias(false));
  });
});

describe('Conv2D gradients', () => {
  const cases: { padding: string; strides: [number, number]; dilationRate: [number, number]; groups: number }[] = [];
  for (const padding of ['valid', 'same']) {
    for (const [strides, dilationRate] of [[[1, 1], [1, 1]], [[2, 2], [1, 1]], [[2, 1], [1, 1]], [[1, 1], [2, 2]]] as [[number, number], [number, number]][]) {
      for (const groups of [1, 2]) cases.push({ padding, strides, dilationRate, groups });
    }
  }
  it.each(cases)('padding $padding, strides $strides, dilation $dilationRate, groups $groups', (args) => {
    expectGradients({ config: { type: 'Conv2D', filters: 4, kernelSize: 3, ...args }, inputShapes: [[6, 5, 2]] }, 2);
  });

  it('kernel (2, 3), dilation (2, 1), sigmoid, kernel regularizer and activity regularizer', () => {
    const config: LayerConfig = {
      type: 'Conv2D', filters: 3, kernelSize: [2, 3], dilationRate: [2, 1], padding: 'same', activation: 'sigmoid',
      kernelRegularizer: 'l2', activityRegularizer: { type: 'L1L2', l1: 0.01, l2: 0.01 },
    };
    expectGradients({ config, inputShapes: [[4, 4, 3]] }, 2);
  });
});

describe('Conv2DTranspose gradients', () => {
  const cases: { padding: string; strides: number | [number, number]; outputPadding?: number | [number, number]; dilationRate?: number; kernelSize: number | [number, number] }[] = [
    { padding: 'valid', strides: 1, kernelSize: 3 },
    { padding: 'same', strides: 1, kernelSize: 3 },
    { padding: 'valid', strides: 2, kernelSize: 3 },
    { padding: 'same', strides: 2, kernelSize: 3 },
    { padding: 'valid', strides: 2, kernelSize: 3, outputPadding: 1 },
    { padding: 'same', strides: 2, kernelSize: 3, outputPadding: 1 },
    { padding: 'same', strides: 2, kernelSize: [3, 2], outputPadding: [0, 1] },
    { padding: 'valid', strides: [2, 3], kernelSize: 2, outputPadding: [1, 2] },
    { padding: 'valid', strides: 3, kernelSize: 2 },
    { padding: 'same', strides: 1, kernelSize: 2, dilationRate: 2 },
    { padding: 'valid', strides: 1, kernelSize: 2, dilationRate: 2 },
  ];
  it.each(cases)('padding $padding, kernel $kernelSize, strides $strides, outputPadding $outputPadding, dilation $dilationRate', (args) => {
    const config: LayerConfig = { type: 'Conv2DTranspose', filters: 2, ...args, biasInitializer: { type: 'Constant', value: 0.1 } };
    expectGradients({ config, inputShapes: [[3, 2, 3]] }, 2);
  });
});

describe('DepthwiseConv2D gradients', () => {
  const cases: LayerConfig[] = [
    { type: 'DepthwiseConv2D', kernelSize: 3 },
    { type: 'DepthwiseConv2D', kernelSize: [2, 3], depthMultiplier: 3, strides: [1, 2], padding: 'same' },
    { type: 'DepthwiseConv2D', kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'tanh', depthwiseRegularizer: 'l2' },
    { type: 'DepthwiseConv2D', kernelSize: 2, depthMultiplier: 2, dilationRate: 2, padding: 'valid' },
    { type: 'DepthwiseConv2D', kernelSize: 2, dilationRate: [2, 1], padding: 'same', useBias: false },
  ];
  it.each(cases)('%o', (config) => {
    expectGradients({ config, inputShapes: [[5, 5, 2]] }, config.useBias === false ? 1 : 2);
  });
});

describe('SeparableConv2D gradients', () => {
  const cases: LayerConfig[] = [
    { type: 'SeparableConv2D', filters: 3, kernelSize: 3 },
    { type: 'SeparableConv2D', filters: 2, kernelSize: [2, 3], depthMultiplier: 2, strides: 2, padding: 'same', activation: 'tanh' },
    { type: 'SeparableConv2D', filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', pointwiseRegularizer: 'l2', depthwiseRegularizer: 'l1' },
    { type: 'SeparableConv2D', filters: 3, kernelSize: 2, strides: [2, 1], useBias: false },
  ];
  it.each(cases)('%o', (config) => {
    expectGradients({ config, inputShapes: [[5, 4, 2]] }, config.useBias === false ? 2 : 3);
  });
});

/**
 * Inputs for max pooling: a shuffled grid k·0.1 (k = -n/2 .. n/2, so 0 and negatives included). Every two values
 * differ by at least 0.1, far more than the probe step, so no window's maximum changes hands during a probe — max
 * pooling is not differentiable at ties, and this keeps the probes away from them.
 */
function distinctInputs(shape: Shape, batch = 2): number[] {
  const n = batch * shapeSize(shape);
  const values = Array.from({ length: n }, (_, i) => (i - Math.floor(n / 2)) * 0.1);
  let s = 12345;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

describe('pooling gradients', () => {
  const cases: { config: LayerConfig; inputShape: Shape }[] = [
    { config: { type: 'MaxPooling1D' }, inputShape: [7, 2] },
    { config: { type: 'MaxPooling1D', poolSize: 3, strides: 2, padding: 'same' }, inputShape: [8, 2] },
    { config: { type: 'MaxPooling1D', poolSize: 3, strides: 1, padding: 'same' }, inputShape: [5, 2] },
    { config: { type: 'MaxPooling2D' }, inputShape: [4, 5, 2] },
    { config: { type: 'MaxPooling2D', poolSize: [3, 2], strides: [2, 1], padding: 'same' }, inputShape: [5, 4, 2] },
    { config: { type: 'MaxPooling2D', poolSize: 3, strides: 1, padding: 'valid' }, inputShape: [4, 4, 1] },
    { config: { type: 'AveragePooling1D' }, inputShape: [7, 2] },
    { config: { type: 'AveragePooling1D', poolSize: 3, strides: 2, padding: 'same' }, inputShape: [8, 2] },
    { config: { type: 'AveragePooling2D', poolSize: [2, 3] }, inputShape: [4, 6, 2] },
    { config: { type: 'AveragePooling2D', poolSize: 3, strides: 2, padding: 'same' }, inputShape: [6, 5, 2] },
    { config: { type: 'AveragePooling2D', poolSize: 3, strides: 1, padding: 'same' }, inputShape: [4, 3, 1] },
    { config: { type: 'GlobalMaxPooling1D' }, inputShape: [5, 3] },
    { config: { type: 'GlobalMaxPooling1D', keepdims: true }, inputShape: [5, 3] },
    { config: { type: 'GlobalMaxPooling2D' }, inputShape: [3, 4, 2] },
    { config: { type: 'GlobalMaxPooling2D', keepdims: true }, inputShape: [3, 4, 2] },
    { config: { type: 'GlobalAveragePooling1D' }, inputShape: [5, 3] },
    { config: { type: 'GlobalAveragePooling1D', keepdims: true }, inputShape: [5, 3] },
    { config: { type: 'GlobalAveragePooling2D' }, inputShape: [3, 4, 2] },
    { config: { type: 'GlobalAveragePooling2D', keepdims: true }, inputShape: [3, 4, 2] },
  ];
  it.each(cases)('$config.type $config', ({ config, inputShape }) => {
    expectGradients({ config, inputShapes: [inputShape], inputs: [distinctInputs(inputShape)] }, 0);
  });

  it('GlobalAveragePooling1D with a timestep mask (masked steps get no gradient)', () => {
    const mask = { shape: [2, 5], values: [1, 1, 0, 1, 0, 0, 1, 1, 1, 1] };
    expectGradients({ config: { type: 'GlobalAveragePooling1D' }, inputShapes: [[5, 3]], mask }, 0);
  });
});
