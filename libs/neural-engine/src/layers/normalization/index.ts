/*
 * Normalization and preprocessing layers: BatchNormalization, LayerNormalization, Rescaling, Normalization.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */

/** Normalization layer types by Keras class name. */
export const normalizationLayers = {};
