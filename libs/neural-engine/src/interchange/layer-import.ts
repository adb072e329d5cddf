import type { z } from 'zod';
import { parseConfig } from '../config.js';
import type { LayerConfig } from '../layers/layer.js';
import { snakeToCamel, isRecord } from './keras-case.js';
import { importActivation, importNested, isCustomObject, type KerasDialect, nestedKindOf } from './keras-objects.js';
import { DROPPABLE_ARGUMENTS, LAYER_ARGUMENT_RULES } from './layer-arguments.js';
import { layerArgumentsOf, layerEntryOf, MODEL_CLASSES } from './layer-classes.js';
import { type LayerRef, layerError, withinLayer } from './interchange-error.js';

/** One layer as Keras serializes it: `{class_name, config}` (plus `name`, `inbound_nodes`, `module`... in models). */
export interface KerasLayerEntry {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
  module?: string | null;
  registered_name?: string | null;
  [key: string]: unknown;
}

/** Name and class of a Keras layer entry, for messages (before it is known to be valid). */
export function describeEntry(entry: unknown, index: number): LayerRef {
  const e = isRecord(entry) ? entry : {};
  const config = isRecord(e.config) ? e.config : {};
  const name = typeof config.name === 'string' ? config.name : typeof e.name === 'string' ? e.name : `#${index}`;
  return { name, className: typeof e.class_name === 'string' ? e.class_name : 'unknown class' };
}

/** Options of an import. */
export interface ImportOptions {
  /**
   * Per-sample shapes for inputs declared with variable-size (None) dimensions, by the name of the layer that declares
   * them (an InputLayer, or the first layer of a Sequential model): `{"tokens": [40]}` fixes `batch_shape [None, None]`.
   */
  inputShapes?: Readonly<Record<string, readonly number[]>>;
}

/**
 * A per-sample shape from a Keras batch shape (`[null, 28, 28, 1]` → `[28, 28, 1]`). Variable dimensions take the
 * value `fixed` gives (fixed dimensions must agree with it); without it they fail.
 */
export function importShape(batchShape: unknown, layer: LayerRef, argument: string, hasBatchAxis = true, fixed?: readonly number[]): number[] {
  if (!Array.isArray(batchShape)) throw layerError(layer, `${argument} must be a list of dimensions`, batchShape);
  const dims: unknown[] = hasBatchAxis ? batchShape.slice(1) : batchShape;
  if (fixed && fixed.length !== dims.length) {
    throw layerError(layer, `inputShapes gives ${fixed.length} dimensions for ${argument} ${JSON.stringify(batchShape)}, which has ${dims.length} per sample`, fixed);
  }
  return dims.map((d, i) => {
    if (d === null) {
      const given = fixed?.[i];
      if (given === undefined) {
        throw layerError(layer, `${argument} has a variable-size dimension (None); Kiln models need every per-sample dimension fixed: pass inputShapes {"${layer.name}": [...]}`, batchShape);
      }
      if (!Number.isInteger(given) || given <= 0) throw layerError(layer, `inputShapes must give positive integer dimensions`, fixed);
      return given;
    }
    if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) throw layerError(layer, `${argument} must hold positive integer dimensions`, batchShape);
    if (fixed && fixed[i] !== d) throw layerError(layer, `inputShapes ${JSON.stringify(fixed)} contradicts ${argument} ${JSON.stringify(batchShape)}`, fixed);
    return d;
  });
}

/**
 * A Keras layer entry → a validated Kiln layer config. Arguments are mapped by spelling (snake_case → camelCase) plus
 * the exceptions of layer-arguments.ts; anything Kiln cannot honour (an unknown class, a custom object, an argument
 * Kiln lacks with a non-default value, a value Kiln's schema rejects) throws a ConfigError naming the layer and class.
 */
export function importLayer(entry: unknown, index: number, dialect: KerasDialect, options: ImportOptions = {}): LayerConfig {
  const ref = describeEntry(entry, index);
  if (!isRecord(entry) || typeof entry.class_name !== 'string' || !isRecord(entry.config)) {
    throw layerError(ref, 'a layer must be an object {class_name, config}', entry);
  }
  if (isCustomObject(entry)) throw layerError(ref, `is a custom object (registered as ${String(entry.registered_name ?? entry.module)}); Kiln cannot load user code`);
  if (MODEL_CLASSES.has(entry.class_name)) throw layerError(ref, 'nested models are not supported; flatten the model into one Sequential or Functional model');
  const registryEntry = layerEntryOf(entry.class_name);
  if (!registryEntry) throw layerError(ref, `Kiln has no layer class ${entry.class_name}`);
  const accepted = layerArgumentsOf(registryEntry);
  const rule = LAYER_ARGUMENT_RULES[entry.class_name];
  const out: LayerConfig = { type: entry.class_name, name: ref.name };
  for (const [key, value] of Object.entries(entry.config)) {
    if (key === 'name') continue;
    if (key === 'trainable') {
      if (value === false) out.trainable = false;
      continue;
    }
    if (key === 'batch_input_shape' || key === 'batch_shape' || key === 'input_shape') {
      if (value === null) continue;
      const shape = importShape(value, ref, key, key !== 'input_shape', options.inputShapes?.[ref.name]);
      out[entry.class_name === 'InputLayer' ? 'shape' : 'inputShape'] = shape;
      continue;
    }
    const argument = rule?.importRenames?.[key] ?? snakeToCamel(key);
    if (accepted.has(argument)) {
      // Keras None is kept where Kiln's argument takes null too (merge_mode None means "no merge", not the default).
      if (value === null) {
        if (!nestedKindOf(argument) && (registryEntry.schema.shape[argument] as z.ZodType).safeParse(null).success) out[argument] = null;
        continue;
      }
      const converted = importValue(argument, value, ref, dialect);
      if (converted !== undefined) out[argument] = converted;
      continue;
    }
    if (value === null || DROPPABLE_ARGUMENTS[key]?.(value)) continue;
    throw layerError(ref, `argument ${key} is not supported by Kiln's ${entry.class_name}`, value);
  }
  try {
    parseConfig(registryEntry.schema, out);
  } catch (e) {
    throw withinLayer(ref, e);
  }
  return out;
}

/** One argument's value: nested objects and activations converted, nested layers (wrappers) imported, nulls dropped. */
function importValue(argument: string, value: unknown, layer: LayerRef, dialect: KerasDialect): unknown {
  if (value === null) return undefined;
  const kind = nestedKindOf(argument);
  if (kind) return importNested(kind, value, layer, argument);
  if (argument === 'activation' || argument.endsWith('Activation')) return importActivation(value, layer, argument, dialect);
  if (isRecord(value) && typeof value.class_name === 'string' && isRecord(value.config)) {
    // A wrapped layer (Bidirectional, TimeDistributed): converted by the same rules, without its own input shape.
    const inner = importLayer(value, 0, dialect);
    delete inner.inputShape;
    return inner;
  }
  return value;
}
