import type { ContractSample } from '../contract-sample.js';

/** Token ids in [0, vocabulary), zeros included (index 0 gives id 0), so Embedding gets valid inputs. */
const ids = (vocabulary: number) => (_input: number, index: number) => (index * 7) % vocabulary;

/** Contract-test cases for the reshaping layers, by layer type (see ../contract-sample.ts). */
export const reshapingSamples: Record<string, ContractSample[]> = {
  Embedding: [
    { config: { type: 'Embedding', inputDim: 10, outputDim: 3 }, inputShape: [4], params: 10 * 3, inputValues: ids(10) },
    {
      config: {
        type: 'Embedding',
        inputDim: 6,
        outputDim: 2,
        embeddingsInitializer: { type: 'RandomNormal', stddev: 0.1 },
        embeddingsRegularizer: 'l2',
        embeddingsConstraint: 'non_neg',
        activityRegularizer: { type: 'L1', l1: 0.01 },
        maskZero: true,
        inputLength: 5,
      },
      inputShape: [5],
      params: 6 * 2,
      inputValues: ids(6),
    },
    { config: { type: 'Embedding', inputDim: 5, outputDim: 4, embeddingsInitializer: 'Uniform' }, inputShape: [2, 3], params: 5 * 4, inputValues: ids(5) },
    { config: { type: 'Embedding', inputDim: 4, outputDim: 2, trainable: false }, inputShape: [3], params: 4 * 2, inputValues: ids(4) },
  ],
  SpatialDropout1D: [
    { config: { type: 'SpatialDropout1D', rate: 0.5 }, inputShape: [3, 4], params: 0 },
    { config: { type: 'SpatialDropout1D', rate: 0.3, seed: 7 }, inputShape: [2, 5], params: 0 },
  ],
  SpatialDropout2D: [
    { config: { type: 'SpatialDropout2D', rate: 0.5 }, inputShape: [2, 3, 4], params: 0 },
    { config: { type: 'SpatialDropout2D', rate: 0.25, dataFormat: 'channels_last', seed: 1 }, inputShape: [3, 2, 2], params: 0 },
  ],
  ZeroPadding1D: [
    { config: { type: 'ZeroPadding1D' }, inputShape: [3, 2], params: 0 },
    { config: { type: 'ZeroPadding1D', padding: [0, 2] }, inputShape: [2, 3], params: 0 },
  ],
  ZeroPadding2D: [
    { config: { type: 'ZeroPadding2D' }, inputShape: [2, 3, 2], params: 0 },
    { config: { type: 'ZeroPadding2D', padding: [2, 0] }, inputShape: [2, 2, 1], params: 0 },
    { config: { type: 'ZeroPadding2D', padding: [[1, 0], [0, 2]], dataFormat: 'channels_last' }, inputShape: [3, 2, 2], params: 0 },
  ],
  Cropping1D: [
    { config: { type: 'Cropping1D' }, inputShape: [4, 2], params: 0 },
    { config: { type: 'Cropping1D', cropping: [0, 2] }, inputShape: [5, 3], params: 0 },
  ],
  Cropping2D: [
    { config: { type: 'Cropping2D' }, inputShape: [2, 3, 2], params: 0 },
    { config: { type: 'Cropping2D', cropping: 1 }, inputShape: [4, 3, 2], params: 0 },
    { config: { type: 'Cropping2D', cropping: [[1, 0], [0, 2]] }, inputShape: [3, 4, 1], params: 0 },
  ],
  UpSampling1D: [
    { config: { type: 'UpSampling1D' }, inputShape: [3, 2], params: 0 },
    { config: { type: 'UpSampling1D', size: 3 }, inputShape: [2, 3], params: 0 },
  ],
  UpSampling2D: [
    { config: { type: 'UpSampling2D' }, inputShape: [2, 3, 2], params: 0 },
    { config: { type: 'UpSampling2D', size: [1, 3] }, inputShape: [2, 2, 1], params: 0 },
    { config: { type: 'UpSampling2D', size: 2, interpolation: 'bilinear' }, inputShape: [3, 2, 2], params: 0 },
    { config: { type: 'UpSampling2D', size: [3, 2], interpolation: 'bilinear', dataFormat: 'channels_last' }, inputShape: [2, 3, 1], params: 0 },
  ],
  Permute: [
    { config: { type: 'Permute', dims: [2, 1] }, inputShape: [3, 4], params: 0 },
    { config: { type: 'Permute', dims: [3, 1, 2] }, inputShape: [2, 3, 4], params: 0 },
    { config: { type: 'Permute', dims: [1] }, inputShape: [5], params: 0 },
  ],
  RepeatVector: [
    { config: { type: 'RepeatVector', n: 3 }, inputShape: [4], params: 0 },
    { config: { type: 'RepeatVector', n: 1 }, inputShape: [2], params: 0 },
  ],
};
