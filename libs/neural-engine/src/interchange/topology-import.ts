import type { LayerConfig } from '../layers/layer.js';
import type { ModelDefinition } from '../model/definition.js';
import { isRecord } from './keras-case.js';
import type { KerasDialect } from './keras-objects.js';
import { describeEntry, type ImportOptions, importLayer, importShape } from './layer-import.js';
import { layerError, modelError } from './interchange-error.js';

/*
 * Keras model configs → Kiln model definitions. Keras 2 (and TensorFlow.js) list a functional layer's inputs as
 * `inbound_nodes: [[["dense_1", 0, 0, {}]]]`; Keras 3 as `[{"args": [{"class_name": "__keras_tensor__", "config":
 * {"keras_history": ["dense_1", 0, 0]}}], "kwargs": {}}]`. Each inbound node is one call of the layer, so a layer
 * with several is shared, which Kiln's definitions cannot express.
 */

/** A tensor of a Keras graph: [layer, node index, tensor index]. */
type KerasHistory = [layer: string, node: number, tensor: number];

/** The `{class_name, config}` model object inside any of the wrappers Keras and TensorFlow.js put around it. */
export function unwrapTopology(topology: unknown): Record<string, unknown> {
  let t = topology;
  if (typeof t === 'string') {
    try {
      t = JSON.parse(t);
    } catch {
      throw modelError('', 'the model JSON is not valid JSON');
    }
  }
  if (isRecord(t) && isRecord(t.modelTopology)) t = t.modelTopology;
  // Older converters wrap the model as {keras_version, backend, model_config}.
  if (isRecord(t) && isRecord(t.model_config)) t = { keras_version: t.keras_version, ...t.model_config };
  if (!isRecord(t) || typeof t.class_name !== 'string') throw modelError('', 'expected a Keras model config {class_name, config}', t);
  return t;
}

/** Keras 3 when the document says so (keras_version 3.x, or Keras 3's `module` fields); Keras 2 / TensorFlow.js otherwise. */
export function detectDialect(topology: Record<string, unknown>): KerasDialect {
  const version = topology.keras_version;
  if (typeof version === 'string' && /^3\./.test(version)) return 'keras3';
  if ('module' in topology || 'registered_name' in topology) return 'keras3';
  const config = topology.config;
  const layers = isRecord(config) && Array.isArray(config.layers) ? config.layers : Array.isArray(config) ? config : [];
  return layers.some((l) => isRecord(l) && ('module' in l || 'registered_name' in l)) ? 'keras3' : 'keras2';
}

/** A Keras model config (Sequential or Functional, any dialect, as an object or JSON text) → a Kiln definition. */
export function importTopology(topology: unknown, options: ImportOptions = {}): ModelDefinition {
  const top = unwrapTopology(topology);
  const dialect = detectDialect(top);
  if (top.class_name === 'Sequential') return importSequential(top, dialect, options);
  if (top.class_name === 'Functional' || top.class_name === 'Model') return importFunctional(top, dialect, options);
  throw modelError('class_name', 'expected a Sequential or Functional model', top.class_name);
}

function importSequential(top: Record<string, unknown>, dialect: KerasDialect, options: ImportOptions): ModelDefinition {
  const config = top.config;
  // Keras before 2.2.3 wrote the layer list as the whole config.
  const entries = Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : null;
  if (!entries || entries.length === 0) throw modelError('config.layers', 'a Sequential model needs a list of layers', config);
  const layers = entries.map((e, i) => importLayer(e, i, dialect, options));
  const first = layers[0]!;
  if (first.type !== 'InputLayer' && first.inputShape === undefined) {
    // Keras 3 keeps the input shape of a model built without an Input in build_input_shape / build_config.
    const built = (isRecord(config) && config.build_input_shape) || (isRecord(top.build_config) && top.build_config.input_shape);
    if (built) {
      const ref = describeEntry(entries[0], 0);
      first.inputShape = importShape(built, ref, 'build_input_shape', true, options.inputShapes?.[ref.name]);
    }
  }
  const definition: Record<string, unknown> = { type: 'Sequential', layers };
  const name = isRecord(config) ? config.name : undefined;
  if (typeof name === 'string' && name) definition.name = name;
  return definition as ModelDefinition;
}

function importFunctional(top: Record<string, unknown>, dialect: KerasDialect, options: ImportOptions): ModelDefinition {
  const config = top.config;
  if (!isRecord(config) || !Array.isArray(config.layers)) throw modelError('config.layers', 'a Functional model needs a list of layers', config);
  const inputs = new Map<string, { name: string; shape: number[] }>();
  const layers: LayerConfig[] = [];
  config.layers.forEach((entry, i) => {
    const ref = describeEntry(entry, i);
    const e = entry as Record<string, unknown>;
    const nodes = Array.isArray(e.inbound_nodes) ? e.inbound_nodes : [];
    if (nodes.length > 1) {
      throw layerError(ref, `is shared (called ${nodes.length} times); Kiln definitions apply each layer once`);
    }
    if (ref.className === 'InputLayer') {
      const layer = importLayer(entry, i, dialect, options);
      inputs.set(ref.name, { name: ref.name, shape: layer.shape as number[] });
      return;
    }
    if (nodes.length === 0) throw layerError(ref, 'is not connected to the graph (no inbound nodes)');
    const layer = importLayer(entry, i, dialect, options);
    delete layer.inputShape;
    layer.inbound = nodeInputs(nodes[0], ref).map(reference);
    layers.push(layer);
  });
  const inputOrder = historyList(config.input_layers, 'config.input_layers');
  const outputOrder = historyList(config.output_layers, 'config.output_layers');
  const definition: Record<string, unknown> = {
    type: 'Functional',
    inputs: inputOrder.map(([name]) => {
      const input = inputs.get(name);
      if (!input) throw modelError('config.input_layers', `input ${JSON.stringify(name)} is not an InputLayer of the model`, name);
      return input;
    }),
    layers,
    outputs: outputOrder.map(reference),
  };
  if (typeof config.name === 'string' && config.name) definition.name = config.name;
  return definition as ModelDefinition;
}

/** `["dense", 0, 1]` → `"dense:1"` (`"dense"` for the first output). */
function reference([layer, , tensor]: KerasHistory): string {
  return tensor === 0 ? layer : `${layer}:${tensor}`;
}

/** Whether a value is a `[name, nodeIndex, tensorIndex, ...]` list. */
function isHistory(value: unknown): value is [string, number, number, ...unknown[]] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number';
}

/** `input_layers` / `output_layers`: a list of histories, or (Keras 3, one tensor) a single one. */
function historyList(value: unknown, path: string): KerasHistory[] {
  const triple = (h: [string, number, number, ...unknown[]]): KerasHistory => [h[0], h[1], h[2]];
  if (isHistory(value)) return [triple(value)];
  if (Array.isArray(value) && value.length > 0 && value.every(isHistory)) return value.map(triple);
  throw modelError(path, 'expected a list of [layer, node, tensor] entries', value);
}

/** The tensors one inbound node feeds the layer, in order, in either dialect. Tensor-valued kwargs are not supported. */
function nodeInputs(node: unknown, ref: { name: string; className: string }): KerasHistory[] {
  const found: KerasHistory[] = [];
  let kwargs: unknown;
  if (isRecord(node)) {
    collectKeras3(node.args, found);
    kwargs = node.kwargs;
  } else if (Array.isArray(node)) {
    const visit = (v: unknown): void => {
      if (isHistory(v)) {
        found.push([v[0], v[1], v[2]]);
        if (isRecord(v[3]) && Object.keys(v[3]).length > 0) kwargs = v[3];
      } else if (Array.isArray(v)) v.forEach(visit);
    };
    visit(node);
  }
  if (isRecord(kwargs)) {
    for (const [key, value] of Object.entries(kwargs)) {
      // `training` only says which mode the layer was called in; Kiln decides that per call.
      if (key === 'training' || value === null || value === undefined) continue;
      throw layerError(ref, `is called with keyword argument ${key}, which Kiln definitions cannot express`, value);
    }
  }
  for (const [source, nodeIndex] of found) {
    if (nodeIndex !== 0) throw layerError(ref, `takes the output of call ${nodeIndex} of layer "${source}", which is shared; Kiln definitions apply each layer once`);
  }
  if (found.length === 0) throw layerError(ref, 'has an inbound node with no input tensors');
  return found;
}

/** Collects Keras 3 `__keras_tensor__` histories from a node's args, in order (merge layers take a list). */
function collectKeras3(value: unknown, found: KerasHistory[]): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectKeras3(v, found));
    return;
  }
  if (!isRecord(value)) return;
  if (value.class_name === '__keras_tensor__') {
    const history = isRecord(value.config) ? value.config.keras_history : undefined;
    if (isHistory(history)) found.push([history[0], history[1], history[2]]);
    return;
  }
  for (const v of Object.values(value)) collectKeras3(v, found);
}
