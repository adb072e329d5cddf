import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { modelFromDefinition } from '../model/from-definition.js';
import { exportKerasJson, exportTfjsModel } from './tfjs-export.js';
import { importKerasJson, importTfjsModel } from './tfjs-import.js';
import { applyWeights } from './weight-match.js';

/*
 * Everything Kiln cannot honour fails with a ConfigError naming the layer and its class (or the weight), never
 * silently: unknown classes, custom objects, shared layers, arguments and values Kiln lacks, weights that do not fit.
 */

/** The ConfigError `run` throws (failing the test when it throws nothing or something else). */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const sequential = (...layers: Record<string, unknown>[]) => ({ class_name: 'Sequential', config: { name: 's', layers }, keras_version: '2.13.1' });
const dense = (name: string, extra: Record<string, unknown> = {}) => ({ class_name: 'Dense', config: { name, units: 2, ...extra } });
const input = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 3] } };

describe('import: unsupported constructs', () => {
  it('an unknown layer class names the layer and its class', () => {
    const e = configError(() => importKerasJson(sequential(input, { class_name: 'Lambda', config: { name: 'my_fn', function: 'x' } })));
    expect(e.message).toBe('layer "my_fn" (Lambda): Kiln has no layer class Lambda');
    expect(e.issues[0]!.path).toBe('my_fn');
  });

  it('a custom layer (Keras 3 registered_name) and a custom initializer', () => {
    const custom = { module: 'my_project.layers', class_name: 'Dense', config: { name: 'fancy', units: 2 }, registered_name: 'MyProject>Dense' };
    expect(configError(() => importKerasJson(sequential(input, custom))).message).toBe(
      'layer "fancy" (Dense): is a custom object (registered as MyProject>Dense); Kiln cannot load user code',
    );
    const init = { module: null, class_name: 'MyInit', config: {}, registered_name: 'Custom>MyInit' };
    expect(configError(() => importKerasJson(sequential(input, dense('d', { kernel_initializer: init })))).message).toBe(
      'layer "d" (Dense): kernelInitializer is a custom initializer (Custom>MyInit), which Kiln cannot load (received "MyInit")',
    );
  });

  it('a shared layer (several inbound nodes), and a layer fed by the second call of a shared one', () => {
    const model = (layers: unknown[]) => ({
      class_name: 'Functional',
      config: { name: 'f', layers, input_layers: [['in', 0, 0]], output_layers: [['out', 0, 0]] },
    });
    const inputEntry = { ...input, name: 'in', inbound_nodes: [] };
    const shared = { class_name: 'Dense', name: 'twice', config: { name: 'twice', units: 3 }, inbound_nodes: [[['in', 0, 0, {}]], [['in', 0, 0, {}]]] };
    expect(configError(() => importKerasJson(model([inputEntry, shared]))).message).toBe(
      'layer "twice" (Dense): is shared (called 2 times); Kiln definitions apply each layer once',
    );
    const consumer = { class_name: 'Dense', name: 'out', config: { name: 'out', units: 1 }, inbound_nodes: [[['twice', 1, 0, {}]]] };
    const once = { ...shared, inbound_nodes: [[['in', 0, 0, {}]]] };
    expect(configError(() => importKerasJson(model([inputEntry, once, consumer]))).message).toBe(
      'layer "out" (Dense): takes the output of call 1 of layer "twice", which is shared; Kiln definitions apply each layer once',
    );
  });

  it('a nested model', () => {
    expect(configError(() => importKerasJson(sequential(input, { class_name: 'Sequential', config: { name: 'inner', layers: [] } }))).message).toBe(
      'layer "inner" (Sequential): nested models are not supported; flatten the model into one Sequential or Functional model',
    );
  });

  it('an argument Kiln does not model, with a value that matters', () => {
    expect(configError(() => importKerasJson(sequential(input, dense('d', { lora_rank: 4 })))).message).toBe(
      'layer "d" (Dense): argument lora_rank is not supported by Kiln\'s Dense (received 4)',
    );
    // Where Kiln's schema has the argument but refuses the value, its own message is kept.
    const lstm = { class_name: 'LSTM', config: { name: 'rnn', units: 2, stateful: true } };
    const e = configError(() => importKerasJson(sequential({ ...input, config: { name: 'in', batch_input_shape: [null, 4, 3] } }, lstm)));
    expect(e.message).toMatch(/^layer "rnn" \(LSTM\): stateful: .*\(received true\)$/);
  });

  it('an argument value Kiln rejects keeps the schema message, under the layer name and class', () => {
    const e = configError(() => importKerasJson(sequential(input, dense('d', { units: 0 }))));
    expect(e.message).toMatch(/^layer "d" \(Dense\): units: Too small: expected number to be >0 \(received 0\)$/);
    expect(e.issues[0]!.path).toBe('d.units');
    const flatten = { class_name: 'Flatten', config: { name: 'flat', data_format: 'channels_first' } };
    expect(configError(() => importKerasJson(sequential(input, flatten))).message).toContain('layer "flat" (Flatten): dataFormat: only "channels_last" is supported');
  });

  it('a variable-size dimension and the Keras 2 hard_sigmoid', () => {
    const variable = sequential({ ...input, config: { name: 'in', batch_input_shape: [null, null, 3] } }, dense('d'));
    expect(configError(() => importKerasJson(variable)).message).toBe(
      'layer "in" (InputLayer): batch_input_shape has a variable-size dimension (None); Kiln models need every per-sample dimension fixed: pass inputShapes {"in": [...]} (received [null,null,3])',
    );
    // The caller can fix it; a fixed dimension must agree.
    expect(importKerasJson(variable, { inputShapes: { in: [7, 3] } })).toMatchObject({ layers: [{ type: 'InputLayer', shape: [7, 3] }, {}] });
    expect(configError(() => importKerasJson(variable, { inputShapes: { in: [7, 4] } })).message).toBe(
      'layer "in" (InputLayer): inputShapes [7,4] contradicts batch_input_shape [null,null,3] (received [7,4])',
    );
    // Keras 2's hard_sigmoid (clip(0.2·x + 0.5, 0, 1), any spelling, as activation or recurrent_activation) imports as
    // Kiln's hard_sigmoid_keras2, not as Kiln's (Keras 3) hard_sigmoid.
    expect(importKerasJson(sequential(input, dense('d', { activation: 'hard_sigmoid' })))).toMatchObject({ layers: [{}, { activation: 'hard_sigmoid_keras2' }] });
    expect(importKerasJson(sequential(input, dense('d', { activation: 'hardSigmoid' })))).toMatchObject({ layers: [{}, { activation: 'hard_sigmoid_keras2' }] });
    const lstmInput = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4, 3] } };
    const lstm = { class_name: 'LSTM', config: { name: 'l', units: 2, recurrent_activation: 'HardSigmoid' } };
    expect(importKerasJson(sequential(lstmInput, lstm))).toMatchObject({ layers: [{}, { type: 'LSTM', recurrentActivation: 'hard_sigmoid_keras2' }] });
    // In a Keras 3 document the name means Keras 3's function, which Kiln has.
    const keras3 = { ...sequential(input, dense('d', { activation: 'hard_sigmoid' })), keras_version: '3.6.0' };
    expect(importKerasJson(keras3)).toMatchObject({ layers: [{}, { activation: 'hard_sigmoid' }] });
  });

  it('a TF.js graph model, and text that is not JSON', () => {
    expect(configError(() => importTfjsModel({ format: 'graph-model', modelTopology: {}, weightsManifest: [] }, {})).message).toBe(
      'format: only TensorFlow.js Layers models can be imported (a graph model has no Keras layers) (received "graph-model")',
    );
    expect(configError(() => importKerasJson('{"class_name": ')).message).toBe('the model JSON is not valid JSON');
  });
});

describe('import: weights that do not fit', () => {
  const modelJson = (weights: { name: string; shape: number[] }[]) => ({
    format: 'layers-model',
    modelTopology: sequential(input, dense('d')),
    weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => ({ ...w, dtype: 'float32' })) }],
  });
  const bytes = (n: number) => new Uint8Array(4 * n);

  it('a missing weight, a shape mismatch, a weight the model lacks', () => {
    const missing = importTfjsModel(modelJson([{ name: 'd/kernel', shape: [3, 2] }]), { 'w.bin': bytes(6) });
    expect(configError(() => applyWeights(modelFromDefinition(missing.definition), missing.weights)).message).toBe(
      'weights: missing weight d/bias (2,); the file has no unused weight of layer "d" named like it',
    );
    const wrong = importTfjsModel(modelJson([{ name: 'd/kernel', shape: [2, 3] }, { name: 'd/bias', shape: [2] }]), { 'w.bin': bytes(8) });
    expect(configError(() => applyWeights(modelFromDefinition(wrong.definition), wrong.weights)).message).toBe(
      'weights: weight d/kernel has shape (2, 3) in the file; the model expects (3, 2)',
    );
    const extra = importTfjsModel(modelJson([{ name: 'd/kernel', shape: [3, 2] }, { name: 'd/bias', shape: [2] }, { name: 'e/kernel', shape: [1] }]), { 'w.bin': bytes(9) });
    expect(configError(() => applyWeights(modelFromDefinition(extra.definition), extra.weights)).message).toBe(
      'weights: e/kernel in the file matches no weight of the model',
    );
  });

  it('weight data shorter or longer than the manifest, a missing shard, an unsupported dtype', () => {
    const json = modelJson([{ name: 'd/kernel', shape: [3, 2] }, { name: 'd/bias', shape: [2] }]);
    expect(configError(() => importTfjsModel(json, { 'w.bin': bytes(7) })).message).toBe(
      'weightsManifest[0].weights[1]: weight d/bias [2] needs 8 bytes at offset 24, but the weight data has 28 bytes',
    );
    expect(configError(() => importTfjsModel(json, { 'w.bin': bytes(9) })).message).toBe(
      'weightsManifest[0].weights: the weight data has 36 bytes but the manifest describes 32',
    );
    expect(configError(() => importTfjsModel(json, {})).message).toBe('weightsManifest[0].paths[0]: weight file "w.bin" was not provided (received "w.bin")');
    const strings = { ...json, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [1], dtype: 'string' }] }] };
    expect(configError(() => importTfjsModel(strings, { 'w.bin': bytes(1) })).message).toBe(
      'weightsManifest[0].weights[0].dtype: weight d/kernel has dtype string; Kiln reads float32, int32 and TensorFlow.js uint8/uint16/float16 quantization (received "string")',
    );
  });
});

describe('export to TensorFlow.js: what TF.js cannot express', () => {
  const exportOf = (layers: Record<string, unknown>[]) => () => exportTfjsModel(modelFromDefinition({ type: 'Sequential', layers }));

  it('a layer class TF.js lacks', () => {
    expect(configError(exportOf([{ type: 'Dense', name: 'd', units: 2, inputShape: [3] }, { type: 'ActivityRegularization', name: 'reg', l1: 0.1 }])).message).toBe(
      'layer "reg" (ActivityRegularization): TensorFlow.js has no layer class ActivityRegularization',
    );
  });

  it('an argument value TF.js does not implement: GRU reset_after true, ELU alpha, ReLU threshold', () => {
    expect(configError(exportOf([{ type: 'GRU', name: 'g', units: 2, inputShape: [3, 2] }])).message).toBe(
      'layer "g" (GRU): TensorFlow.js\'s GRU supports only reset_after = false (TF.js implements only the reset-before convention) (received true)',
    );
    expect(configError(exportOf([{ type: 'ELU', name: 'e', alpha: 0.5, inputShape: [3] }])).message).toBe(
      'layer "e" (ELU): TensorFlow.js\'s ELU supports only alpha = 1 (TF.js throws NotImplementedError for other values) (received 0.5)',
    );
    expect(configError(exportOf([{ type: 'ReLU', name: 'r', threshold: 0.5, inputShape: [3] }])).message).toBe(
      'layer "r" (ReLU): TensorFlow.js\'s ReLU supports only threshold = 0 (received 0.5)',
    );
  });

  it('hard_sigmoid_keras2 exports as TF.js\'s hardSigmoid; Keras 3 has no equivalent, so its JSON export refuses it', () => {
    const layers = [{ type: 'Dense', name: 'd', units: 2, inputShape: [3], activation: 'hard_sigmoid_keras2' }];
    expect(JSON.stringify(exportOf(layers)().modelJson.modelTopology)).toContain('"activation":"hardSigmoid"');
    expect(configError(() => exportKerasJson(modelFromDefinition({ type: 'Sequential', layers }))).message).toBe(
      'layer "d" (Dense): activation: Keras 3 has no activation equal to hard_sigmoid_keras2 (clip(0.2·x + 0.5, 0, 1)); its hard_sigmoid is relu6(x + 3) / 6 (received "hard_sigmoid_keras2")',
    );
    const gru = [{ type: 'GRU', name: 'g', units: 2, inputShape: [3, 2], resetAfter: false, recurrentActivation: 'hard_sigmoid_keras2' }];
    expect(configError(() => exportKerasJson(modelFromDefinition({ type: 'Sequential', layers: gru }))).message).toContain(
      'layer "g" (GRU): recurrentActivation: Keras 3 has no activation equal to hard_sigmoid_keras2',
    );
  });

  it('an activation with arguments, an activation TF.js lacks, a regularizer TF.js lacks', () => {
    expect(configError(exportOf([{ type: 'Dense', name: 'd', units: 2, inputShape: [3], activation: { type: 'leaky_relu', negativeSlope: 0.1 } }])).message).toBe(
      'layer "d" (Dense): activation: an activation with arguments cannot be written as a Keras activation name; use an activation layer (received {"type":"leaky_relu","negativeSlope":0.1})',
    );
    expect(configError(exportOf([{ type: 'Dense', name: 'd', units: 2, inputShape: [3], activation: 'hard_sigmoid' }])).message).toBe(
      'layer "d" (Dense): activation: TensorFlow.js has no activation "hard_sigmoid" with Keras 3 semantics (received "hard_sigmoid")',
    );
    expect(configError(exportOf([{ type: 'Dense', name: 'd', units: 2, inputShape: [3], kernelRegularizer: 'orthogonal_regularizer' }])).message).toBe(
      'layer "d" (Dense): kernelRegularizer: TensorFlow.js has no OrthogonalRegularizer (received "orthogonal_regularizer")',
    );
  });
});
