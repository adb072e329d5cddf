/*
 * Normalization and preprocessing layers: BatchNormalization, LayerNormalization, Rescaling, Normalization.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */
import { entry } from '../registry-entry.js';
import { BatchNormalization, batchNormalizationSchema } from './batch-normalization.js';
import { LayerNormalization, layerNormalizationSchema } from './layer-normalization.js';
import { Normalization, normalizationSchema } from './normalization.js';
import { Rescaling, rescalingSchema } from './rescaling.js';

/** Normalization layer types by Keras class name. */
export const normalizationLayers = {
  BatchNormalization: entry(batchNormalizationSchema, (c) => new BatchNormalization(c)),
  LayerNormalization: entry(layerNormalizationSchema, (c) => new LayerNormalization(c)),
  Rescaling: entry(rescalingSchema, (c) => new Rescaling(c)),
  Normalization: entry(normalizationSchema, (c) => new Normalization(c)),
};

export { BatchNormalization, batchNormalizationSchema, type BatchNormalizationConfig } from './batch-normalization.js';
export { LayerNormalization, layerNormalizationSchema, type LayerNormalizationConfig } from './layer-normalization.js';
export { Rescaling, rescalingSchema, type RescalingConfig } from './rescaling.js';
export { Normalization, normalizationSchema, type NormalizationConfig } from './normalization.js';
export type { AdaptStatistics } from './normalization-statistics.js';
