/*
 * Convolution and pooling layers: Conv1D, Conv2D, Conv2DTranspose, SeparableConv2D, DepthwiseConv2D, MaxPooling1D/2D, AveragePooling1D/2D, GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */

/** Convolution layer types by Keras class name. */
export const convolutionLayers = {};
