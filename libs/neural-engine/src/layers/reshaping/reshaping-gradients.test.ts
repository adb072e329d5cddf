import { describe, expect, it } from 'vitest';
import type { Shape } from '../../tensor.js';
import { type LayerGradientCase, checkLayerGradients } from '../../testing/layer-gradient-check.js';
import type { LayerConfig } from '../layer.js';

/*
 * Finite-difference gradient checks (float64, centered differences, h = 1e-5) of every reshaping layer and option
 * form, through checkLayerGradients: L = Σ y·r (+ activity and weight penalties). Every layer here is linear in its
 * input (and Embedding in its table), so there are no kinks to avoid; the inputs include 0 and negatives. SpatialDropout
 * runs in training mode with its generator restored before each forward, so each evaluation drops the same channels.
 */

const TOLERANCE = 1e-6;

interface Case {
  label: string;
  config: LayerConfig;
  inputShape: Shape;
}

const cases: Case[] = [
  { label: 'ZeroPadding1D default', config: { type: 'ZeroPadding1D' }, inputShape: [3, 2] },
  { label: 'ZeroPadding1D [0, 2]', config: { type: 'ZeroPadding1D', padding: [0, 2] }, inputShape: [2, 3] },
  { label: 'ZeroPadding2D default', config: { type: 'ZeroPadding2D' }, inputShape: [2, 2, 2] },
  { label: 'ZeroPadding2D [2, 0]', config: { type: 'ZeroPadding2D', padding: [2, 0] }, inputShape: [2, 3, 1] },
  { label: 'ZeroPadding2D [[1, 0], [0, 2]]', config: { type: 'ZeroPadding2D', padding: [[1, 0], [0, 2]] }, inputShape: [3, 2, 2] },
  { label: 'Cropping1D default', config: { type: 'Cropping1D' }, inputShape: [4, 2] },
  { label: 'Cropping1D [0, 2]', config: { type: 'Cropping1D', cropping: [0, 2] }, inputShape: [5, 2] },
  { label: 'Cropping2D default (no crop)', config: { type: 'Cropping2D' }, inputShape: [2, 2, 2] },
  { label: 'Cropping2D 1', config: { type: 'Cropping2D', cropping: 1 }, inputShape: [4, 3, 2] },
  { label: 'Cropping2D [1, 0]', config: { type: 'Cropping2D', cropping: [1, 0] }, inputShape: [3, 2, 2] },
  { label: 'Cropping2D [[1, 0], [0, 2]]', config: { type: 'Cropping2D', cropping: [[1, 0], [0, 2]] }, inputShape: [3, 4, 1] },
  { label: 'UpSampling1D default', config: { type: 'UpSampling1D' }, inputShape: [3, 2] },
  { label: 'UpSampling1D 3', config: { type: 'UpSampling1D', size: 3 }, inputShape: [2, 2] },
  { label: 'UpSampling2D nearest default', config: { type: 'UpSampling2D' }, inputShape: [2, 2, 2] },
  { label: 'UpSampling2D nearest [1, 3]', config: { type: 'UpSampling2D', size: [1, 3] }, inputShape: [2, 2, 1] },
  { label: 'UpSampling2D bilinear 2', config: { type: 'UpSampling2D', size: 2, interpolation: 'bilinear' }, inputShape: [3, 2, 2] },
  { label: 'UpSampling2D bilinear [3, 2]', config: { type: 'UpSampling2D', size: [3, 2], interpolation: 'bilinear' }, inputShape: [2, 3, 1] },
  { label: 'Permute [2, 1]', config: { type: 'Permute', dims: [2, 1] }, inputShape: [3, 4] },
  { label: 'Permute [3, 1, 2]', config: { type: 'Permute', dims: [3, 1, 2] }, inputShape: [2, 3, 2] },
  { label: 'Permute [1]', config: { type: 'Permute', dims: [1] }, inputShape: [4] },
  { label: 'RepeatVector 3', config: { type: 'RepeatVector', n: 3 }, inputShape: [4] },
  { label: 'SpatialDropout1D seeded', config: { type: 'SpatialDropout1D', rate: 0.5, seed: 3 }, inputShape: [3, 4] },
  { label: 'SpatialDropout1D (model RNG)', config: { type: 'SpatialDropout1D', rate: 0.4 }, inputShape: [2, 5] },
  { label: 'SpatialDropout2D seeded', config: { type: 'SpatialDropout2D', rate: 0.5, seed: 2 }, inputShape: [2, 2, 4] },
  { label: 'SpatialDropout2D (model RNG)', config: { type: 'SpatialDropout2D', rate: 0.3 }, inputShape: [2, 3, 3] },
];

describe('reshaping layer gradients match finite differences', () => {
  it.each(cases)('$label', ({ config, inputShape }) => {
    const errors = checkLayerGradients({ config, inputShapes: [inputShape] });
    expect(errors.inputs[0]).toBeLessThan(TOLERANCE);
    expect(errors.weights).toEqual({});
  });

  it('SpatialDropout in inference passes gradients through unchanged', () => {
    const errors = checkLayerGradients({ config: { type: 'SpatialDropout2D', rate: 0.5 }, inputShapes: [[2, 2, 3]], training: false });
    expect(errors.inputs[0]).toBeLessThan(TOLERANCE);
  });
});

describe('Embedding gradients match finite differences (weights only: ids are constant)', () => {
  // Batch 2 × 5 steps, with repeated ids (3 occurs three times) so the scatter-add must accumulate, and id 0.
  const ids = [3, 0, 1, 3, 4, 2, 3, 0, 5, 1];
  const embeddingCases: { label: string; config: LayerConfig; inputShape: Shape }[] = [
    { label: 'plain', config: { type: 'Embedding', inputDim: 6, outputDim: 3 }, inputShape: [5] },
    {
      label: 'with embeddings and activity regularizers, maskZero',
      config: {
        type: 'Embedding',
        inputDim: 6,
        outputDim: 2,
        embeddingsInitializer: { type: 'RandomNormal', mean: 0.5, stddev: 0.2 },
        embeddingsRegularizer: { type: 'L1L2', l1: 0.01, l2: 0.02 },
        activityRegularizer: { type: 'L2', l2: 0.05 },
        maskZero: true,
      },
      inputShape: [5],
    },
    { label: 'rank-2 per-sample ids', config: { type: 'Embedding', inputDim: 7, outputDim: 2 }, inputShape: [5, 1] },
  ];

  it.each(embeddingCases)('$label', ({ config, inputShape }) => {
    const check: LayerGradientCase = { config, inputShapes: [inputShape], inputs: [ids], constantInputs: [0] };
    const errors = checkLayerGradients(check);
    expect(errors.inputs[0]).toBeNaN();
    expect(Object.keys(errors.weights)).toEqual(['checked/embeddings']);
    expect(errors.weights['checked/embeddings']).toBeLessThan(TOLERANCE);
  });
});
