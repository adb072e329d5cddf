import type { ModelDefinition } from '../model/definition.js';
import type { WeightSpec } from '../model/serialization.js';
import { type FloatArray, shapeSize } from '../tensor.js';
import { exportTopology } from './topology-export.js';
import type { TfjsModelJson } from './tfjs-import.js';
import { modelError } from './interchange-error.js';

/** What the exporters need of a model: its definition, its weight manifest and its weight values in that order. */
export interface ExportableModel {
  getDefinition(): ModelDefinition;
  weightManifest(): readonly WeightSpec[];
  getWeights(): readonly FloatArray[];
}

/** A TensorFlow.js Layers export: `model.json` and its weight files (`group1-shard1of2.bin`...). */
export interface TfjsExport {
  modelJson: TfjsModelJson;
  weightFiles: { name: string; data: Uint8Array }[];
}

/** TensorFlow.js's converter splits weights into files of at most 4 MiB. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/**
 * Exports a model to the TensorFlow.js Layers format `tf.loadLayersModel` reads: the Keras 2 dialect topology, weights
 * as little-endian float32 in manifest order, concatenated and split into files of at most `shardBytes`.
 */
export function exportTfjsModel(model: ExportableModel, options: { shardBytes?: number } = {}): TfjsExport {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  const manifest = model.weightManifest();
  const values = model.getWeights();
  if (values.length !== manifest.length) throw modelError('weights', `the model lists ${manifest.length} weights but gave ${values.length} arrays`);
  const total = manifest.reduce((n, w) => n + shapeSize(w.shape) * 4, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  manifest.forEach((w, i) => {
    const v = values[i]!;
    if (v.length !== shapeSize(w.shape)) throw modelError(`weights.${w.name}`, `has ${v.length} values for shape ${JSON.stringify(w.shape)}`);
    for (let k = 0; k < v.length; k++, offset += 4) view.setFloat32(offset, v[k]!, true);
  });
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const weightFiles = Array.from({ length: count }, (_, s) => ({
    name: `group1-shard${s + 1}of${count}.bin`,
    data: bytes.slice(s * shardBytes, Math.min(total, (s + 1) * shardBytes)),
  }));
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'Kiln neural engine',
      convertedBy: 'Kiln interchange',
      modelTopology: exportTopology(model.getDefinition(), 'tfjs'),
      weightsManifest: [{ paths: weightFiles.map((f) => f.name), weights: manifest.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })) }],
    },
    weightFiles,
  };
}

/** Exports a model (or a definition) as Keras 3 `model.to_json()` text. Keras JSON carries no weights. */
export function exportKerasJson(model: Pick<ExportableModel, 'getDefinition'> | ModelDefinition): string {
  const definition = 'getDefinition' in model ? model.getDefinition() : model;
  return JSON.stringify(exportTopology(definition, 'keras3'));
}
