import type { ContractSample } from '../contract-sample.js';

/*
 * Parameter counts by hand: a convolution kernel holds Π kernelSize · in/groups · filters values, plus filters biases.
 */

/** Contract-test cases for the convolution layers, by layer type (see ../contract-sample.ts). */
export const convolutionSamples: Record<string, ContractSample[]> = {
  Conv1D: [
    { config: { type: 'Conv1D', filters: 3, kernelSize: 3 }, inputShape: [7, 2], params: 3 * 2 * 3 + 3 },
    { config: { type: 'Conv1D', filters: 4, kernelSize: [2], strides: 2, padding: 'same', activation: 'relu' }, inputShape: [7, 3], params: 2 * 3 * 4 + 4 },
    { config: { type: 'Conv1D', filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, useBias: false, kernelRegularizer: 'l2' }, inputShape: [6, 2], params: 3 * 2 * 2 },
    { config: { type: 'Conv1D', filters: 4, kernelSize: 2, groups: 2, activityRegularizer: { type: 'L1', l1: 0.01 } }, inputShape: [5, 4], params: 2 * 2 * 4 + 4 },
  ],
  Conv2D: [
    { config: { type: 'Conv2D', filters: 2, kernelSize: 3 }, inputShape: [5, 5, 2], params: 3 * 3 * 2 * 2 + 2 },
    { config: { type: 'Conv2D', filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'tanh' }, inputShape: [5, 4, 2], params: 2 * 3 * 2 * 3 + 3 },
    { config: { type: 'Conv2D', filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', biasRegularizer: 'l1' }, inputShape: [4, 5, 1], params: 2 * 2 * 1 * 2 + 2 },
    { config: { type: 'Conv2D', filters: 4, kernelSize: 2, groups: 2, useBias: false }, inputShape: [3, 3, 4], params: 2 * 2 * 2 * 4 },
    { config: { type: 'Conv2D', filters: 2, kernelSize: 1, trainable: false }, inputShape: [3, 3, 2], params: 2 * 2 + 2 },
  ],
  Conv2DTranspose: [
    { config: { type: 'Conv2DTranspose', filters: 2, kernelSize: 3 }, inputShape: [3, 3, 2], params: 3 * 3 * 2 * 2 + 2 },
    { config: { type: 'Conv2DTranspose', filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }, inputShape: [3, 2, 2], params: 3 * 2 * 3 * 2 + 3 },
    { config: { type: 'Conv2DTranspose', filters: 2, kernelSize: 3, strides: [2, 3], outputPadding: [1, 2], useBias: false, kernelRegularizer: 'l2' }, inputShape: [2, 2, 1], params: 3 * 3 * 2 },
    { config: { type: 'Conv2DTranspose', filters: 1, kernelSize: 2, dilationRate: 2, padding: 'same' }, inputShape: [3, 3, 2], params: 2 * 2 * 1 * 2 + 1 },
  ],
  SeparableConv2D: [
    { config: { type: 'SeparableConv2D', filters: 3, kernelSize: 3 }, inputShape: [5, 5, 2], params: 3 * 3 * 2 + 2 * 3 + 3 },
    {
      config: { type: 'SeparableConv2D', filters: 2, kernelSize: [2, 3], depthMultiplier: 2, strides: 2, padding: 'same', activation: 'elu', pointwiseRegularizer: 'l2' },
      inputShape: [5, 4, 3],
      params: 2 * 3 * 3 * 2 + 3 * 2 * 2 + 2,
    },
    { config: { type: 'SeparableConv2D', filters: 2, kernelSize: 2, dilationRate: 2, useBias: false }, inputShape: [4, 4, 2], params: 2 * 2 * 2 + 2 * 2 },
  ],
  DepthwiseConv2D: [
    { config: { type: 'DepthwiseConv2D', kernelSize: 3 }, inputShape: [4, 4, 2], params: 3 * 3 * 2 + 2 },
    { config: { type: 'DepthwiseConv2D', kernelSize: [2, 3], depthMultiplier: 3, strides: [1, 2], padding: 'same', depthwiseRegularizer: 'l1' }, inputShape: [4, 5, 2], params: 2 * 3 * 2 * 3 + 2 * 3 },
    { config: { type: 'DepthwiseConv2D', kernelSize: 2, dilationRate: [2, 1], useBias: false, activation: 'sigmoid' }, inputShape: [4, 3, 3], params: 2 * 2 * 3 },
  ],
  MaxPooling1D: [
    { config: { type: 'MaxPooling1D' }, inputShape: [6, 2], params: 0 },
    { config: { type: 'MaxPooling1D', poolSize: 3, strides: 2, padding: 'same' }, inputShape: [7, 2], params: 0 },
  ],
  MaxPooling2D: [
    { config: { type: 'MaxPooling2D' }, inputShape: [4, 4, 2], params: 0 },
    { config: { type: 'MaxPooling2D', poolSize: [3, 2], strides: [2, 1], padding: 'same' }, inputShape: [5, 4, 2], params: 0 },
  ],
  AveragePooling1D: [
    { config: { type: 'AveragePooling1D' }, inputShape: [6, 2], params: 0 },
    { config: { type: 'AveragePooling1D', poolSize: 3, strides: 2, padding: 'same' }, inputShape: [6, 2], params: 0 },
  ],
  AveragePooling2D: [
    { config: { type: 'AveragePooling2D' }, inputShape: [4, 5, 2], params: 0 },
    { config: { type: 'AveragePooling2D', poolSize: 3, strides: 2, padding: 'same' }, inputShape: [5, 4, 1], params: 0 },
  ],
  GlobalMaxPooling1D: [
    { config: { type: 'GlobalMaxPooling1D' }, inputShape: [5, 3], params: 0 },
    { config: { type: 'GlobalMaxPooling1D', keepdims: true }, inputShape: [5, 3], params: 0 },
  ],
  GlobalMaxPooling2D: [
    { config: { type: 'GlobalMaxPooling2D' }, inputShape: [3, 4, 2], params: 0 },
    { config: { type: 'GlobalMaxPooling2D', keepdims: true }, inputShape: [3, 4, 2], params: 0 },
  ],
  GlobalAveragePooling1D: [
    { config: { type: 'GlobalAveragePooling1D' }, inputShape: [5, 3], params: 0 },
    { config: { type: 'GlobalAveragePooling1D', keepdims: true }, inputShape: [5, 3], params: 0 },
  ],
  GlobalAveragePooling2D: [
    { config: { type: 'GlobalAveragePooling2D' }, inputShape: [3, 4, 2], params: 0 },
    { config: { type: 'GlobalAveragePooling2D', keepdims: true, dataFormat: 'channels_last' }, inputShape: [3, 4, 2], params: 0 },
  ],
};
