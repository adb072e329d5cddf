import { createLayer } from '../layers/index.js';
import type { LayerConfig } from '../layers/layer.js';
import { camelToSnake, classToLayerName, isRecord } from './keras-case.js';
import { type ExportDialect, exportActivation, exportNested, nestedKindOf } from './keras-objects.js';
import { LAYER_ARGUMENT_RULES, TFJS_COMMON_LIMITS } from './layer-arguments.js';
import { layerEntryOf, TFJS_LAYER_CLASSES } from './layer-classes.js';
import { type LayerRef, layerError, withinLayer } from './interchange-error.js';

/** A Keras 3 dtype policy object (what Keras 3 writes for `dtype`). */
export function keras3DtypePolicy(name = 'float32'): Record<string, unknown> {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/**
 * Every argument of a Kiln layer config spelled out: the layer is created from the config and asked for its config,
 * so an exported file does not depend on whether the reader's defaults equal Kiln's (TensorFlow.js's sometimes do not).
 */
export function fullLayerConfig(config: LayerConfig, ref: LayerRef): LayerConfig {
  try {
    const layer = createLayer(config);
    const full = layer.getConfig();
    if (config.name !== undefined) full.name = config.name;
    return full;
  } catch (e) {
    throw withinLayer(ref, e);
  }
}

/**
 * A Kiln layer config → Keras `{class_name, config}` in the target dialect (the caller adds `name`/`inbound_nodes`
 * for functional models). `inputShape` becomes TensorFlow.js `batch_input_shape`; Keras 3 models carry it in an
 * InputLayer instead, so it is left out there.
 */
export function exportLayer(layerConfig: LayerConfig, dialect: ExportDialect, name: string): { class_name: string; config: Record<string, unknown> } {
  const className = layerConfig.type === 'Input' ? 'InputLayer' : layerConfig.type;
  const ref: LayerRef = { name, className };
  if (!layerEntryOf(className)) throw layerError(ref, `Kiln has no layer class ${className}`);
  if (dialect === 'tfjs' && !TFJS_LAYER_CLASSES.has(className)) throw layerError(ref, `TensorFlow.js has no layer class ${className}`);
  const full = fullLayerConfig({ ...layerConfig, name }, ref);
  const rule = LAYER_ARGUMENT_RULES[className];
  const config: Record<string, unknown> = { name, trainable: full.trainable !== false };
  config.dtype = dialect === 'tfjs' ? 'float32' : keras3DtypePolicy();
  for (const [key, value] of Object.entries(full)) {
    if (key === 'type' || key === 'name' || key === 'trainable' || value === undefined) continue;
    if (key === 'inputShape') {
      if (dialect === 'tfjs') config.batch_input_shape = [null, ...(value as number[])];
      continue;
    }
    if (className === 'InputLayer' && (key === 'shape' || key === 'batchSize')) continue;
    const limit = dialect === 'tfjs' ? (rule?.tfjsLimits?.[key] ?? TFJS_COMMON_LIMITS[key]) : undefined;
    if (limit && !limit.accepts(value)) {
      throw layerError(ref, `TensorFlow.js's ${className} supports only ${camelToSnake(key)} ${limit.only}${limit.why ? ` (${limit.why})` : ''}`, value);
    }
    const kerasKey = (dialect === 'tfjs' ? rule?.tfjsRenames?.[key] : undefined) ?? camelToSnake(key);
    config[kerasKey] = exportValue(key, value, ref, dialect);
  }
  if (className === 'InputLayer') {
    // Keras's InputLayer config is exactly these keys, its dtype a plain string in both dialects.
    const batch = [full.batchSize ?? null, ...(full.shape as number[])];
    return { class_name: className, config: { [dialect === 'tfjs' ? 'batch_input_shape' : 'batch_shape']: batch, dtype: 'float32', sparse: false, name } };
  }
  return { class_name: className, config };
}

/** One argument's value in the target dialect. */
function exportValue(argument: string, value: unknown, layer: LayerRef, dialect: ExportDialect): unknown {
  const kind = nestedKindOf(argument);
  if (kind) return exportNested(kind, value, layer, argument, dialect);
  if (argument === 'activation' || argument.endsWith('Activation')) return exportActivation(value, layer, argument, dialect);
  if (isRecord(value) && typeof value.type === 'string' && layerEntryOf(value.type)) {
    // A wrapped layer (Bidirectional, TimeDistributed).
    const inner = value as LayerConfig;
    // Unnamed inner layers get the default name Kiln gives them, so weight names agree across the export.
    const exported = exportLayer(inner, dialect, inner.name ?? classToLayerName(inner.type));
    return dialect === 'keras3' ? { module: 'keras.layers', ...exported, registered_name: null } : exported;
  }
  return value;
}
