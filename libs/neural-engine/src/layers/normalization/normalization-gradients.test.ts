import { describe, expect, it } from 'vitest';
import { type LayerGradientCase, checkLayerGradients } from '../../testing/layer-gradient-check.js';

/*
 * Finite-difference gradient checks (float64, centered differences, h = 1e-5) of every normalization layer and option
 * combination: dL/dx and dL/dw of every trainable weight within a max relative error of 1e-6. The normalizations are
 * smooth everywhere (epsilon keeps 1/sqrt(var + eps) away from its pole), so no kinks need avoiding. Non-trainable
 * weights (moving statistics, Normalization's mean/variance/count) get no gradient and are not checked.
 */

const TOLERANCE = 1e-6;

const randomStats = {
  movingMeanInitializer: { type: 'RandomNormal', seed: 4 },
  movingVarianceInitializer: { type: 'RandomUniform', minval: 0.5, maxval: 2, seed: 5 },
  gammaInitializer: { type: 'RandomNormal', mean: 1, stddev: 0.3, seed: 6 },
  betaInitializer: { type: 'RandomNormal', seed: 7 },
};
const randomAffine = { gammaInitializer: randomStats.gammaInitializer, betaInitializer: randomStats.betaInitializer };

const cases: (LayerGradientCase & { label: string; weights: number })[] = [
  // BatchNormalization in training mode: gradients flow through the batch mean and variance.
  { label: 'BatchNormalization training, [4], batch 4', config: { type: 'BatchNormalization', ...randomAffine }, inputShapes: [[4]], batch: 4, weights: 2 },
  { label: 'BatchNormalization training, batch 2', config: { type: 'BatchNormalization', ...randomAffine }, inputShapes: [[3]], weights: 2 },
  { label: 'BatchNormalization training, axis 1 of [3, 2]', config: { type: 'BatchNormalization', axis: 1, ...randomAffine }, inputShapes: [[3, 2]], weights: 2 },
  { label: 'BatchNormalization training, axis [1, -1] of [2, 3, 2]', config: { type: 'BatchNormalization', axis: [1, -1], ...randomAffine }, inputShapes: [[2, 3, 2]], weights: 2 },
  { label: 'BatchNormalization training, center false', config: { type: 'BatchNormalization', center: false, ...randomAffine }, inputShapes: [[2, 3]], weights: 1 },
  { label: 'BatchNormalization training, scale false', config: { type: 'BatchNormalization', scale: false, ...randomAffine }, inputShapes: [[2, 3]], weights: 1 },
  {
    label: 'BatchNormalization training, epsilon 0.1, regularized gamma and beta',
    config: { type: 'BatchNormalization', epsilon: 0.1, momentum: 0.5, gammaRegularizer: 'l2', betaRegularizer: { type: 'L1', l1: 0.01 }, ...randomAffine },
    inputShapes: [[3]],
    batch: 3,
    weights: 2,
  },
  {
    label: 'BatchNormalization training with a timestep mask (masked moments)',
    config: { type: 'BatchNormalization', ...randomAffine },
    inputShapes: [[3, 2]],
    mask: { shape: [2, 3], values: [1, 1, 0, 1, 0, 1] },
    weights: 2,
  },
  // Inference: the moving statistics are constants.
  { label: 'BatchNormalization inference', config: { type: 'BatchNormalization', ...randomStats }, inputShapes: [[4]], training: false, weights: 2 },
  { label: 'BatchNormalization inference, axis 1 of [3, 2]', config: { type: 'BatchNormalization', axis: 1, ...randomStats }, inputShapes: [[3, 2]], training: false, weights: 2 },
  { label: 'BatchNormalization frozen while training (inference math)', config: { type: 'BatchNormalization', trainable: false, ...randomStats }, inputShapes: [[4]], weights: 2 },
  // LayerNormalization.
  { label: 'LayerNormalization, [5]', config: { type: 'LayerNormalization', ...randomAffine }, inputShapes: [[5]], weights: 2 },
  { label: 'LayerNormalization, axis -1 of [3, 4]', config: { type: 'LayerNormalization', ...randomAffine }, inputShapes: [[3, 4]], weights: 2 },
  { label: 'LayerNormalization, axis [1, 2] of [2, 3]', config: { type: 'LayerNormalization', axis: [1, 2], ...randomAffine }, inputShapes: [[2, 3]], weights: 2 },
  { label: 'LayerNormalization, axis 1 of [3, 2]', config: { type: 'LayerNormalization', axis: 1, ...randomAffine }, inputShapes: [[3, 2]], weights: 2 },
  { label: 'LayerNormalization, center false, epsilon 1e-5', config: { type: 'LayerNormalization', center: false, epsilon: 1e-5, ...randomAffine }, inputShapes: [[4]], weights: 1 },
  { label: 'LayerNormalization, scale false', config: { type: 'LayerNormalization', scale: false, ...randomAffine }, inputShapes: [[4]], weights: 1 },
  { label: 'LayerNormalization, rmsScaling', config: { type: 'LayerNormalization', rmsScaling: true, ...randomAffine }, inputShapes: [[2, 4]], weights: 1 },
  { label: 'LayerNormalization, rmsScaling over axes [1, 2]', config: { type: 'LayerNormalization', rmsScaling: true, axis: [1, 2], ...randomAffine }, inputShapes: [[2, 3]], weights: 1 },
  { label: 'LayerNormalization, regularized', config: { type: 'LayerNormalization', gammaRegularizer: 'l2', betaRegularizer: 'l1', ...randomAffine }, inputShapes: [[4]], weights: 2 },
  // Rescaling and Normalization (no trainable weights: only dL/dx).
  { label: 'Rescaling scalar', config: { type: 'Rescaling', scale: 0.5, offset: 2 }, inputShapes: [[2, 3]], weights: 0 },
  { label: 'Rescaling per channel', config: { type: 'Rescaling', scale: [1, -2, 0.25], offset: [0, 1, 2] }, inputShapes: [[2, 3]], weights: 0 },
  { label: 'Normalization', config: { type: 'Normalization', mean: [1, -1, 0.5], variance: [4, 0.25, 1] }, inputShapes: [[3]], weights: 0 },
  { label: 'Normalization invert', config: { type: 'Normalization', mean: [1, -1, 0.5], variance: [4, 0.25, 1], invert: true }, inputShapes: [[3]], weights: 0 },
  { label: 'Normalization axis null', config: { type: 'Normalization', axis: null, mean: 2, variance: 3 }, inputShapes: [[2, 2]], weights: 0 },
  { label: 'Normalization axis [1, 2]', config: { type: 'Normalization', axis: [1, 2], mean: [[1, 2], [0, -1]], variance: [[1, 2], [3, 4]] }, inputShapes: [[2, 2]], weights: 0 },
];

describe('normalization layer gradients (finite differences, float64)', () => {
  it.each(cases)('$label', ({ label: _label, weights, ...c }) => {
    const errors = checkLayerGradients(c);
    expect(errors.inputs[0]).toBeLessThan(TOLERANCE);
    expect(Object.keys(errors.weights)).toHaveLength(weights);
    for (const [name, error] of Object.entries(errors.weights)) expect(error, name).toBeLessThan(TOLERANCE);
  });
});
