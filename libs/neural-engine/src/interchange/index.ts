/*
 * Model interchange: TensorFlow.js Layers models (model.json + weight shards) and Keras JSON configs (Keras 2 and
 * Keras 3 dialects) in, TensorFlow.js Layers and Keras 3 JSON out.
 *
 *   const { definition, weights } = importTfjsModel(modelJson, { 'group1-shard1of1.bin': bytes });
 *   const model = modelFromDefinition(definition);
 *   applyWeights(model, weights);                      // matched to model.weightManifest() by name
 *   const { modelJson, weightFiles } = exportTfjsModel(model);   // what tf.loadLayersModel reads
 *   const text = exportKerasJson(model);               // Keras 3 model.to_json()
 *
 * Whatever Kiln cannot honour (a layer class it lacks, a custom object, a shared layer, an argument value it or
 * TensorFlow.js does not implement, weights that do not fit) throws a ConfigError naming the layer and its class.
 */
export { importTfjsModel, importTfjsArtifacts, importKerasJson, type ImportedModel, type TfjsModelJson, type TfjsArtifacts, type Bytes } from './tfjs-import.js';
export { exportTfjsModel, exportKerasJson, DEFAULT_SHARD_BYTES, type ExportableModel, type TfjsExport } from './tfjs-export.js';
export { importTopology, detectDialect } from './topology-import.js';
export { exportTopology } from './topology-export.js';
export { importLayer, type ImportOptions } from './layer-import.js';
export { exportLayer } from './layer-export.js';
export { decodeWeights, type ImportedWeight, type TfjsWeightSpec } from './weight-decode.js';
export { matchWeights, applyWeights, type ExpectedWeight, type WeightTarget } from './weight-match.js';
export { snakeToCamel, camelToSnake } from './keras-case.js';
export type { KerasDialect, ExportDialect } from './keras-objects.js';
