import { layerRegistry } from '../layers/index.js';
import type { LayerEntry } from '../layers/registry-entry.js';

/*
 * The layer classes Kiln knows, read from the layer registry at run time: families register their layers as they are
 * written, and the interchange picks them up without a change here.
 */

/** The registry entry (schema and constructor) of a Keras class name, or undefined when Kiln has no such layer. */
export function layerEntryOf(className: string): LayerEntry | undefined {
  const entries = layerRegistry as unknown as Record<string, LayerEntry>;
  return Object.prototype.hasOwnProperty.call(entries, className) ? entries[className] : undefined;
}

/** The camelCase arguments a Kiln layer class accepts. */
export function layerArgumentsOf(entry: LayerEntry): Set<string> {
  return new Set(Object.keys(entry.schema.shape));
}

/** Keras classes that are models; nested inside a model they are not supported. */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

/**
 * Layer classes TensorFlow.js 4.22 registers (tfjs-layers' serialization map), for the ones Kiln also has; a Kiln layer
 * outside this list cannot be exported to TensorFlow.js. A test checks the list against the installed TensorFlow.js.
 */
export const TFJS_LAYER_CLASSES: ReadonlySet<string> = new Set([
  'InputLayer', 'Dense', 'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax', 'ThresholdedReLU', 'Dropout',
  'GaussianDropout', 'GaussianNoise', 'AlphaDropout', 'SpatialDropout1D', 'Flatten', 'Reshape', 'Permute',
  'RepeatVector', 'Embedding', 'Masking', 'Conv1D', 'Conv2D', 'Conv2DTranspose', 'Conv3D', 'Conv3DTranspose',
  'SeparableConv2D', 'DepthwiseConv2D', 'Cropping2D', 'UpSampling2D', 'ZeroPadding2D', 'MaxPooling1D',
  'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'GlobalAveragePooling1D',
  'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'BatchNormalization', 'LayerNormalization',
  'Add', 'Average', 'Concatenate', 'Dot', 'Maximum', 'Minimum', 'Multiply', 'SimpleRNN', 'LSTM', 'GRU',
  'Bidirectional', 'TimeDistributed', 'ConvLSTM2D', 'Rescaling', 'CenterCrop', 'Resizing', 'CategoryEncoding',
]);
