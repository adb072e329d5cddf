import { z } from 'zod';
import { type Layer, type LayerConfig } from '../layer.js';
// layers/index.ts imports this folder, so this import closes a cycle. Both bindings are only read lazily (when a
// wrapper config is parsed or a wrapper constructed), by which time the registry module has finished evaluating.
import { createLayer, layerSchema, layerTypes } from '../index.js';

// In the supported order (the registry module first) this module runs while the registry is still evaluating, so
// `layerTypes` is not yet initialized. If a recurrent module is imported first, the registry finishes first, without
// this folder's table (or, in native ESM, fails on it): say so instead of leaving the registry silently incomplete.
let registryWithoutUs = false;
try {
  registryWithoutUs = !layerTypes.includes('Bidirectional');
} catch {
  // Not initialized yet: the expected order.
}
if (registryWithoutUs) {
  throw new Error('layers/recurrent was imported before the layer registry; import layers/index.js (or the engine) first');
}

/** Schema of a wrapped layer's config: any registered layer (resolved lazily, as the registry includes the wrappers). */
export const nestedLayerSchema = z.lazy((): z.ZodType<LayerConfig> => layerSchema as unknown as z.ZodType<LayerConfig>);

/** Creates a wrapped layer from its validated config, reporting config errors under `path`. */
export function createNestedLayer(config: LayerConfig, path: readonly PropertyKey[]): Layer {
  return createLayer(config, path);
}

/** The Keras default name of an unnamed layer: its class name in snake_case (`SimpleRNN` → `simple_rnn`). */
export function defaultLayerName(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** A wrapped layer's config as the user wrote it: its own name (if it had one) instead of the one the wrapper gave it. */
export function wrappedConfig(layer: Layer, originalName: string | undefined): LayerConfig {
  const { name: _given, ...config } = layer.getConfig();
  return originalName === undefined ? config : { ...config, name: originalName };
}
