/**
 * Kiln's neural engine: Keras-style layers, activations, losses, optimizers, metrics and training in pure TypeScript.
 * Everything a model is made of can be written as JSON (the schemas below) or built in code.
 */
export * from './tensor.js';
export * from './errors.js';
export { Rng } from './rng.js';
export { normalizeIdentifier, Registry } from './identifiers.js';
export type { Backend, MatmulOptions, WindowGeometry, ChannelRange } from './backend/backend.js';
export { JsBackend } from './backend/js-backend.js';
export { WasmBackend, type WasmBackendOptions } from './backend/wasm/wasm-backend.js';
export { createBackend, type CreateBackendOptions, type ThreadedBackend } from './backend/create-backend.js';
export { defaultBackend, setDefaultBackend } from './backend/default-backend.js';
export * from './activations/index.js';
export * from './initializers/index.js';
export * from './regularizers/index.js';
export * from './constraints/index.js';
export * from './layers/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './optimizers/index.js';
export * from './callbacks/index.js';
export { Model, type FitOptions, type ModelOptions } from './model/model.js';
export { Sequential, type SequentialOptions } from './model/sequential.js';
export { Functional } from './model/functional.js';
export { modelFromDefinition } from './model/from-definition.js';
export type { ModelData } from './model/inputs.js';
export * from './model/definition.js';
export type { TensorInput, NestedArray } from './model/data.js';
export type { ModelSummary, LayerSummary } from './model/summary.js';
export type { SavedWeights, WeightSpec } from './model/serialization.js';
export type { ProgressEvent } from './training/fit.js';
export type { LayerDiagnostics } from './training/diagnostics.js';
export type { CompileArgs } from './training/compiled.js';
export * from './interchange/index.js';
