/*
 * Shape and embedding layers: Embedding, SpatialDropout1D/2D, ZeroPadding1D/2D, Cropping1D/2D, UpSampling1D/2D, Permute, RepeatVector.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */

/** Reshaping layer types by Keras class name. */
export const reshapingLayers = {};
