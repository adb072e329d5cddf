import type { ContractSample } from '../contract-sample.js';

/*
 * Contract-test cases for the normalization layers, by layer type (see ../contract-sample.ts).
 *
 * BatchNormalization appears trainable (training passes update its non-trainable moving statistics, which the harness
 * allows for) and frozen (trainable: false, so Keras runs it in inference mode).
 * Normalization samples give mean and variance: an un-adapted Normalization refuses to run.
 */
export const normalizationSamples: Record<string, ContractSample[]> = {
  BatchNormalization: [
    // gamma, beta, moving_mean, moving_variance: 4 each.
    { config: { type: 'BatchNormalization' }, inputShape: [4], params: 4 * 4 },
    { config: { type: 'BatchNormalization', momentum: 0.9, axis: 1 }, inputShape: [3, 2], params: 3 * 4 },
    { config: { type: 'BatchNormalization', trainable: false }, inputShape: [4], params: 4 * 4 },
    {
      config: { type: 'BatchNormalization', axis: 1, center: false, trainable: false, movingMeanInitializer: { type: 'RandomNormal', seed: 1 } },
      inputShape: [3, 2],
      params: 3 * 3,
    },
    { config: { type: 'BatchNormalization', axis: [1, -1], scale: false, trainable: false }, inputShape: [2, 3, 2], params: 2 * 2 * 3 },
  ],
  LayerNormalization: [
    { config: { type: 'LayerNormalization' }, inputShape: [5], params: 5 * 2 },
    { config: { type: 'LayerNormalization', axis: [1, 2], epsilon: 1e-5 }, inputShape: [2, 3], params: 6 * 2 },
    { config: { type: 'LayerNormalization', axis: 1, center: false }, inputShape: [3, 2], params: 3 },
    { config: { type: 'LayerNormalization', rmsScaling: true, gammaRegularizer: 'l2' }, inputShape: [2, 4], params: 4 },
    { config: { type: 'LayerNormalization', trainable: false }, inputShape: [4], params: 8 },
  ],
  Rescaling: [
    { config: { type: 'Rescaling', scale: 1 / 255 }, inputShape: [2, 2, 3], params: 0 },
    { config: { type: 'Rescaling', scale: 2, offset: -1 }, inputShape: [4], params: 0 },
    { config: { type: 'Rescaling', scale: [1, 0.5, 2], offset: [0, 1, -1] }, inputShape: [2, 3], params: 0 },
  ],
  Normalization: [
    { config: { type: 'Normalization', mean: [1, 2, 3], variance: [1, 4, 0.25] }, inputShape: [3], params: 0 },
    { config: { type: 'Normalization', axis: null, mean: 0.5, variance: 2 }, inputShape: [2, 3], params: 0 },
    { config: { type: 'Normalization', axis: [1, 2], mean: [[0, 1], [2, 3]], variance: [[1, 1], [4, 4]], invert: true }, inputShape: [2, 2], params: 0 },
    { config: { type: 'Normalization', axis: 1, mean: 1, variance: 9 }, inputShape: [2, 3], params: 0 },
  ],
};
