/*
 * The layer registry: every layer type a model definition may name, with its config schema and constructor.
 *
 * Layers come in families: the core ones (Dense, activations, dropout, Flatten, Reshape) live in this folder and are
 * listed below; every other family has a folder (convolution/, recurrent/, normalization/, reshaping/, merge/) whose
 * index.ts exports its own table, spread in here. Adding a layer (say Conv2D, in convolution/conv2d.ts with
 * `conv2dSchema` and class `Conv2D`) is a two-line change to its family's index.ts:
 *   1. import { Conv2D, conv2dSchema } from './conv2d.js';
 *   2. in the family table:  Conv2D: entry(conv2dSchema, (c) => new Conv2D(c)),
 * `layerSchema`, `layerTypes` and `createLayer` derive from the tables; layer-contract.test.ts then fails until the
 * new type has a sample in its family's contract-samples.ts.
 */
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { convolutionLayers } from './convolution/index.js';
import { mergeLayers } from './merge/index.js';
import { normalizationLayers } from './normalization/index.js';
import { recurrentLayers } from './recurrent/index.js';
import { type LayerEntry, entry } from './registry-entry.js';
import { reshapingLayers } from './reshaping/index.js';
import { ActivationLayer, activationLayerSchema } from './activation-layer.js';
import { ActivityRegularization, activityRegularizationSchema } from './activity-regularization.js';
import { AlphaDropout, alphaDropoutSchema } from './alpha-dropout.js';
import { Dense, denseSchema } from './dense.js';
import { Dropout, dropoutSchema } from './dropout.js';
import { ELU, eluSchema } from './elu.js';
import { Flatten, flattenSchema } from './flatten.js';
import { GaussianDropout, gaussianDropoutSchema } from './gaussian-dropout.js';
import { GaussianNoise, gaussianNoiseSchema } from './gaussian-noise.js';
import { InputLayer, inputLayerSchema } from './input-layer.js';
import type { Layer, LayerConfig } from './layer.js';
import { LeakyReLU, leakyReLUSchema } from './leaky-relu.js';
import { PReLU, preluSchema } from './prelu.js';
import { ReLU, reluSchema } from './relu.js';
import { Reshape, reshapeSchema } from './reshape.js';
import { Softmax, softmaxSchema } from './softmax.js';

/** Every layer type by its Keras class name: the core layers here, the other families from their folders. */
export const layerRegistry = {
  InputLayer: entry(inputLayerSchema, (c) => new InputLayer(c)),
  Dense: entry(denseSchema, (c) => new Dense(c)),
  Activation: entry(activationLayerSchema, (c) => new ActivationLayer(c)),
  ReLU: entry(reluSchema, (c) => new ReLU(c)),
  LeakyReLU: entry(leakyReLUSchema, (c) => new LeakyReLU(c)),
  PReLU: entry(preluSchema, (c) => new PReLU(c)),
  ELU: entry(eluSchema, (c) => new ELU(c)),
  Softmax: entry(softmaxSchema, (c) => new Softmax(c)),
  Dropout: entry(dropoutSchema, (c) => new Dropout(c)),
  GaussianDropout: entry(gaussianDropoutSchema, (c) => new GaussianDropout(c)),
  GaussianNoise: entry(gaussianNoiseSchema, (c) => new GaussianNoise(c)),
  AlphaDropout: entry(alphaDropoutSchema, (c) => new AlphaDropout(c)),
  ActivityRegularization: entry(activityRegularizationSchema, (c) => new ActivityRegularization(c)),
  Flatten: entry(flattenSchema, (c) => new Flatten(c)),
  Reshape: entry(reshapeSchema, (c) => new Reshape(c)),
  ...convolutionLayers,
  ...recurrentLayers,
  ...normalizationLayers,
  ...reshapingLayers,
  ...mergeLayers,
};

type RegisteredSchema = (typeof layerRegistry)[keyof typeof layerRegistry]['schema'];

/** Registered layer type names (Keras class names). */
export const layerTypes: string[] = Object.keys(layerRegistry);

/** Any layer config: a union discriminated by `type`, so an unknown type reports the list of known ones. */
export const layerSchema = z.discriminatedUnion(
  'type',
  Object.values(layerRegistry).map((e) => e.schema) as unknown as [RegisteredSchema, ...RegisteredSchema[]],
);
/** A validated config of any registered layer. */
export type AnyLayerConfig = z.input<typeof layerSchema>;

// Every spelling a schema's `type` literal accepts (InputLayer also accepts `Input`) → its entry.
const entryByType = new Map<string, LayerEntry>();
for (const e of Object.values(layerRegistry) as unknown as LayerEntry[]) {
  for (const type of e.schema.shape.type.values) entryByType.set(type, e);
}

/** Validates a layer config (throwing a ConfigError whose paths start with `path`) and creates the layer. */
export function createLayer(config: LayerConfig, path: readonly PropertyKey[] = []): Layer {
  const parsed = parseConfig(layerSchema, config, path);
  return entryByType.get(parsed.type)!.create(parsed);
}

export { type LayerEntry, entry } from './registry-entry.js';
export * from './convolution/index.js';
export * from './recurrent/index.js';
export * from './normalization/index.js';
export * from './reshaping/index.js';
export * from './merge/index.js';
export { Layer, type LayerConfig, type LayerContext, type BaseLayerConfig, baseLayerSchema } from './layer.js';
export { Variable } from './variable.js';
export { Dense, denseSchema, type DenseConfig } from './dense.js';
export { InputLayer, inputLayerSchema, type InputLayerConfig } from './input-layer.js';
export { ActivationLayer, activationLayerSchema, type ActivationLayerConfig } from './activation-layer.js';
export { ReLU, reluSchema, type ReLUConfig } from './relu.js';
export { LeakyReLU, leakyReLUSchema, type LeakyReLUConfig } from './leaky-relu.js';
export { PReLU, preluSchema, type PReLUConfig } from './prelu.js';
export { ELU, eluSchema, type ELUConfig } from './elu.js';
export { Softmax, softmaxSchema, type SoftmaxConfig } from './softmax.js';
export { Dropout, dropoutSchema, type DropoutConfig } from './dropout.js';
export { GaussianDropout, gaussianDropoutSchema, type GaussianDropoutConfig } from './gaussian-dropout.js';
export { GaussianNoise, gaussianNoiseSchema, type GaussianNoiseConfig } from './gaussian-noise.js';
export { AlphaDropout, ALPHA_P, alphaDropoutSchema, type AlphaDropoutConfig } from './alpha-dropout.js';
export { ActivityRegularization, activityRegularizationSchema, type ActivityRegularizationConfig } from './activity-regularization.js';
export { Flatten, flattenSchema, type FlattenConfig } from './flatten.js';
export { Reshape, reshapeSchema, type ReshapeConfig } from './reshape.js';
export { broadcastIndex } from './broadcast.js';
