import type { LayerConfig } from '../layers/layer.js';
import type { ModelDefinition } from '../model/definition.js';
import { classToLayerName } from './keras-case.js';
import type { ExportDialect } from './keras-objects.js';
import { exportLayer, keras3DtypePolicy } from './layer-export.js';
import { modelError } from './interchange-error.js';

/*
 * Kiln definitions → Keras model configs. TensorFlow.js reads the Keras 2 dialect (batch_input_shape on the first
 * layer, list-form inbound nodes); Keras 3 writes an InputLayer with batch_shape, `module`/`registered_name` fields,
 * dtype policies as objects and `__keras_tensor__` inbound nodes.
 */

/** Gives unnamed layers Keras-style unique names (`dense`, `dense_1`), keeping the names a definition gives. */
function nameLayers(layers: readonly LayerConfig[], taken: Set<string>): string[] {
  for (const l of layers) if (l.name) taken.add(l.name);
  return layers.map((l) => {
    if (l.name) return l.name;
    const base = classToLayerName(l.type === 'Input' ? 'InputLayer' : l.type);
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  });
}

/** A Kiln definition → the Keras model config (`{class_name, config, ...}`) of the target dialect. */
export function exportTopology(definition: ModelDefinition, dialect: ExportDialect): Record<string, unknown> {
  if (definition.type === 'Sequential') return exportSequential(definition.layers as LayerConfig[], definition.name ?? 'sequential', dialect);
  if (definition.type === 'Functional') return exportFunctional(definition, dialect);
  throw modelError('type', 'expected a Sequential or Functional definition', (definition as { type?: unknown }).type);
}

/** Wraps a layer for Keras 3 (module and registered_name around class_name/config). */
function keras3Entry(exported: { class_name: string; config: Record<string, unknown> }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { module: 'keras.layers', class_name: exported.class_name, config: exported.config, registered_name: null, ...extra };
}

function exportSequential(layers: readonly LayerConfig[], name: string, dialect: ExportDialect): Record<string, unknown> {
  const names = nameLayers(layers, new Set());
  let entries = layers.map((l, i) => ({ config: l, name: names[i]! }));
  const first = entries[0];
  if (!first) throw modelError('layers', 'a Sequential model needs at least one layer');
  let inputShape: number[] | undefined;
  if (first.config.type === 'InputLayer' || first.config.type === 'Input') {
    inputShape = first.config.shape as number[];
    entries = entries.slice(1);
  } else {
    inputShape = first.config.inputShape as number[] | undefined;
  }
  if (!inputShape) throw modelError('layers[0].inputShape', 'the first layer must declare inputShape (or be an InputLayer) to be exported');
  if (dialect === 'tfjs') {
    // TensorFlow.js, like Keras 2, reads the input shape from batch_input_shape on the first layer.
    const out = entries.map((e, i) => exportLayer(i === 0 ? { ...e.config, inputShape } : { ...e.config, inputShape: undefined }, 'tfjs', e.name));
    return { class_name: 'Sequential', config: { name, layers: out }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
  }
  const inputName = first.config.type === 'InputLayer' || first.config.type === 'Input' ? first.name : nameLayers([{ type: 'InputLayer' }], new Set(names))[0]!;
  const input = exportLayer({ type: 'InputLayer', shape: inputShape }, 'keras3', inputName);
  const out = [keras3Entry(input), ...entries.map((e) => keras3Entry(exportLayer({ ...e.config, inputShape: undefined }, 'keras3', e.name)))];
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name, trainable: true, dtype: keras3DtypePolicy(), layers: out },
    registered_name: null,
    build_config: { input_shape: [null, ...inputShape] },
  };
}

/** `"lstm:1"` → `["lstm", 0, 1]`. */
function history(reference: string): [string, number, number] {
  const match = /^(.*?)(?::(\d+))?$/.exec(reference)!;
  return [match[1]!, 0, match[2] === undefined ? 0 : Number(match[2])];
}

/** Keras 3 writes a model built on one tensor (not a list of one) as a bare history; TF.js always reads lists. */
function single(histories: unknown[][], dialect: ExportDialect): unknown[] {
  return dialect === 'keras3' && histories.length === 1 ? histories[0]! : histories;
}

function exportFunctional(definition: Extract<ModelDefinition, { type: 'Functional' }>, dialect: ExportDialect): Record<string, unknown> {
  const layers = definition.layers as (LayerConfig & { inbound: string[] })[];
  const entries: Record<string, unknown>[] = definition.inputs.map((input) => {
    const exported = exportLayer({ type: 'InputLayer', shape: input.shape }, dialect, input.name);
    const node = { name: input.name, class_name: 'InputLayer', config: exported.config, inbound_nodes: [] };
    return dialect === 'keras3' ? keras3Entry(exported, { name: input.name, inbound_nodes: [] }) : node;
  });
  for (const layer of layers) {
    const { inbound, ...config } = layer;
    const exported = exportLayer(config as LayerConfig, dialect, layer.name!);
    const sources = inbound.map(history);
    if (dialect === 'tfjs') {
      entries.push({ name: layer.name, class_name: exported.class_name, config: exported.config, inbound_nodes: [sources.map((h) => [...h, {}])] });
    } else {
      const tensors = sources.map((h) => ({ class_name: '__keras_tensor__', config: { dtype: 'float32', keras_history: h } }));
      // A merge layer takes its inputs as one list argument; other layers take one tensor.
      const args = tensors.length === 1 ? [tensors[0]] : [tensors];
      entries.push(keras3Entry(exported, { name: layer.name, inbound_nodes: [{ args, kwargs: {} }] }));
    }
  }
  const name = definition.name ?? 'functional';
  const config = {
    name,
    ...(dialect === 'keras3' ? { trainable: true } : {}),
    layers: entries,
    input_layers: single(definition.inputs.map((i) => [i.name, 0, 0]), dialect),
    output_layers: single(definition.outputs.map(history), dialect),
  };
  if (dialect === 'tfjs') return { class_name: 'Model', config, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
  return { module: 'keras.src.models.functional', class_name: 'Functional', config, registered_name: 'Functional' };
}
