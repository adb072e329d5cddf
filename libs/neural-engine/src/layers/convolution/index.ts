/*
 * Convolution and pooling layers: Conv1D, Conv2D, Conv2DTranspose, SeparableConv2D, DepthwiseConv2D, MaxPooling1D/2D, AveragePooling1D/2D, GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */
import { entry } from '../registry-entry.js';
import { AveragePooling1D, AveragePooling2D, averagePooling1dSchema, averagePooling2dSchema } from './average-pooling.js';
import { Conv1D, conv1dSchema } from './conv1d.js';
import { Conv2D, conv2dSchema } from './conv2d.js';
import { Conv2DTranspose, conv2dTransposeSchema } from './conv2d-transpose.js';
import { DepthwiseConv2D, depthwiseConv2dSchema } from './depthwise-conv2d.js';
import {
  GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  globalAveragePooling1dSchema, globalAveragePooling2dSchema, globalMaxPooling1dSchema, globalMaxPooling2dSchema,
} from './global-pooling.js';
import { MaxPooling1D, MaxPooling2D, maxPooling1dSchema, maxPooling2dSchema } from './max-pooling.js';
import { SeparableConv2D, separableConv2dSchema } from './separable-conv2d.js';

/** Convolution layer types by Keras class name. */
export const convolutionLayers = {
  Conv1D: entry(conv1dSchema, (c) => new Conv1D(c)),
  Conv2D: entry(conv2dSchema, (c) => new Conv2D(c)),
  Conv2DTranspose: entry(conv2dTransposeSchema, (c) => new Conv2DTranspose(c)),
  SeparableConv2D: entry(separableConv2dSchema, (c) => new SeparableConv2D(c)),
  DepthwiseConv2D: entry(depthwiseConv2dSchema, (c) => new DepthwiseConv2D(c)),
  MaxPooling1D: entry(maxPooling1dSchema, (c) => new MaxPooling1D(c)),
  MaxPooling2D: entry(maxPooling2dSchema, (c) => new MaxPooling2D(c)),
  AveragePooling1D: entry(averagePooling1dSchema, (c) => new AveragePooling1D(c)),
  AveragePooling2D: entry(averagePooling2dSchema, (c) => new AveragePooling2D(c)),
  GlobalMaxPooling1D: entry(globalMaxPooling1dSchema, (c) => new GlobalMaxPooling1D(c)),
  GlobalMaxPooling2D: entry(globalMaxPooling2dSchema, (c) => new GlobalMaxPooling2D(c)),
  GlobalAveragePooling1D: entry(globalAveragePooling1dSchema, (c) => new GlobalAveragePooling1D(c)),
  GlobalAveragePooling2D: entry(globalAveragePooling2dSchema, (c) => new GlobalAveragePooling2D(c)),
};

export { Conv, type ConvArgs } from './conv.js';
export { ConvLayerBase } from './conv-layer-base.js';
export { Conv1D, conv1dSchema, type Conv1DConfig } from './conv1d.js';
export { Conv2D, conv2dSchema, type Conv2DConfig } from './conv2d.js';
export { Conv2DTranspose, conv2dTransposeSchema, convTransposeLength, type Conv2DTransposeConfig } from './conv2d-transpose.js';
export { DepthwiseConv2D, DepthwiseStep, depthwiseConv2dSchema, type DepthwiseConv2DConfig } from './depthwise-conv2d.js';
export { SeparableConv2D, separableConv2dSchema, type SeparableConv2DConfig } from './separable-conv2d.js';
export { Pooling } from './pooling.js';
export { MaxPooling1D, MaxPooling2D, maxPooling1dSchema, maxPooling2dSchema, type MaxPooling1DConfig, type MaxPooling2DConfig } from './max-pooling.js';
export {
  AveragePooling1D, AveragePooling2D, averagePooling1dSchema, averagePooling2dSchema,
  type AveragePooling1DConfig, type AveragePooling2DConfig,
} from './average-pooling.js';
export { GlobalPooling } from './global-pooling-base.js';
export {
  GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  globalAveragePooling1dSchema, globalAveragePooling2dSchema, globalMaxPooling1dSchema, globalMaxPooling2dSchema,
  type GlobalAveragePooling1DConfig, type GlobalAveragePooling2DConfig, type GlobalMaxPooling1DConfig, type GlobalMaxPooling2DConfig,
} from './global-pooling.js';
