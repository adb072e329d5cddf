import type { ModelDefinition } from '../model/definition.js';
import { isRecord } from './keras-case.js';
import type { ImportOptions } from './layer-import.js';
import { importTopology } from './topology-import.js';
import { concatBytes, decodeWeights, type ImportedWeight, type TfjsWeightSpec } from './weight-decode.js';
import { modelError } from './interchange-error.js';

/** What an import produces: a Kiln model definition plus the weights found in the file, in file order. */
export interface ImportedModel {
  definition: ModelDefinition;
  weights: ImportedWeight[];
}

/** A TensorFlow.js `model.json` (Layers format). */
export interface TfjsModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  [key: string]: unknown;
}

/** Bytes of a weight file: a Uint8Array or an ArrayBuffer. */
export type Bytes = Uint8Array | ArrayBuffer;

/**
 * Imports a TensorFlow.js Layers model: `model.json` (object or text) plus its weight files by the paths the manifest
 * lists (`group1-shard1of1.bin`). Each manifest group's files are concatenated and read in the group's order.
 */
export function importTfjsModel(modelJson: TfjsModelJson | string, files: Readonly<Record<string, Bytes>>, options: ImportOptions = {}): ImportedModel {
  const json: unknown = typeof modelJson === 'string' ? parseJson(modelJson) : modelJson;
  if (!isRecord(json) || !('modelTopology' in json)) throw modelError('', 'expected a TensorFlow.js model.json with modelTopology and weightsManifest', json);
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw modelError('format', 'only TensorFlow.js Layers models can be imported (a graph model has no Keras layers)', json.format);
  }
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw modelError('weightsManifest', 'expected a list of {paths, weights} groups', manifest);
  const weights = manifest.flatMap((group: unknown, g) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw modelError(`weightsManifest[${g}]`, 'expected {paths, weights}', group);
    }
    const chunks = group.paths.map((p: unknown, k) => {
      const bytes = typeof p === 'string' ? files[p] : undefined;
      if (!bytes) throw modelError(`weightsManifest[${g}].paths[${k}]`, `weight file ${JSON.stringify(p)} was not provided`, p);
      return bytes;
    });
    return decodeWeights(group.weights as TfjsWeightSpec[], concatBytes(chunks), `weightsManifest[${g}].weights`);
  });
  const specs = (manifest as { weights: TfjsWeightSpec[] }[]).flatMap((g) => g.weights);
  return withWeightFacts(importTopology(json.modelTopology, options), weights, specs);
}

/**
 * TensorFlow.js 4.22's SeparableConv2D leaves depth_multiplier out of its config (tfjs-layers getConfig), so a
 * TF.js-saved model reads back with the default of 1. The depthwise kernel's last dimension is the true value.
 */
function withWeightFacts(definition: ModelDefinition, decoded: readonly ImportedWeight[], specs: readonly TfjsWeightSpec[]): ImportedModel {
  // Optimizer slots (saved with includeOptimizer) are training state, not model weights.
  const weights = decoded.filter((_, i) => specs[i]?.group !== 'optimizer');
  for (const layer of definition.layers as Record<string, unknown>[]) {
    if ((layer.type === 'SeparableConv2D' || layer.type === 'DepthwiseConv2D') && layer.depthMultiplier === undefined) {
      const kernel = weights.find((w) => w.name.replace(/:\d+$/, '') === `${String(layer.name)}/depthwise_kernel`);
      if (kernel && kernel.shape.length === 4) layer.depthMultiplier = kernel.shape[3];
    }
  }
  return { definition, weights };
}

/** What TensorFlow.js hands a save handler (`model.save(tf.io.withSaveHandler(...))`). */
export interface TfjsArtifacts {
  modelTopology: unknown;
  weightSpecs?: TfjsWeightSpec[];
  weightData?: Bytes | Bytes[];
  [key: string]: unknown;
}

/** Imports the artifacts of a TensorFlow.js save handler (topology, weight specs and one weight buffer). */
export function importTfjsArtifacts(artifacts: TfjsArtifacts, options: ImportOptions = {}): ImportedModel {
  const data = artifacts.weightData === undefined ? new Uint8Array(0) : concatBytes(Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]);
  const specs = artifacts.weightSpecs ?? [];
  return withWeightFacts(importTopology(artifacts.modelTopology, options), decodeWeights(specs, data, 'weightSpecs'), specs);
}

/** Imports a Keras `model.to_json()` (Keras 2 or Keras 3, object or text): the definition only, Keras JSON has no weights. */
export function importKerasJson(json: unknown, options: ImportOptions = {}): ModelDefinition {
  return importTopology(json, options);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw modelError('', 'model.json is not valid JSON');
  }
}
