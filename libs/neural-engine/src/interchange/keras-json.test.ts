import { describe, expect, it } from 'vitest';
import { modelFromDefinition } from '../model/from-definition.js';
import { Rng } from '../rng.js';
import { exportKerasJson } from './tfjs-export.js';
import { importKerasJson } from './tfjs-import.js';

/*
 * Keras `model.to_json()` documents written by hand in the formats Keras 2 (tf.keras 2.x) and Keras 3 produce, with
 * what each must import to; and Keras 3 export, checked by its structure and by importing it back.
 */

const glorot2 = { class_name: 'GlorotUniform', config: { seed: null } };
const zeros2 = { class_name: 'Zeros', config: {} };
const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const init3 = (className: string, config: Record<string, unknown> = {}) => ({ module: 'keras.initializers', class_name: className, config, registered_name: null });

/** A Keras 2 Sequential model as tf.keras 2.x writes it: InputLayer with batch_input_shape, nested objects. */
const keras2Sequential = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
      {
        class_name: 'Dense',
        config: {
          name: 'dense', trainable: true, dtype: 'float32', units: 8, activation: 'relu', use_bias: true,
          kernel_initializer: glorot2, bias_initializer: zeros2,
          kernel_regularizer: { class_name: 'L2', config: { l2: 0.001 } }, bias_regularizer: null, activity_regularizer: null,
          kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } }, bias_constraint: null,
        },
      },
      { class_name: 'LeakyReLU', config: { name: 'leaky_re_lu', trainable: true, dtype: 'float32', alpha: 0.1 } },
      { class_name: 'Dropout', config: { name: 'dropout', trainable: true, dtype: 'float32', rate: 0.5, noise_shape: null, seed: null } },
      {
        class_name: 'Dense',
        config: {
          name: 'dense_1', trainable: false, dtype: 'float32', units: 3, activation: 'softmax', use_bias: false,
          kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: 5 } },
          bias_initializer: zeros2, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
        },
      },
    ],
  },
  keras_version: '2.13.1',
  backend: 'tensorflow',
};

/** A Keras 2 functional model: list-form inbound nodes, two inputs, Concatenate, an Add residual, a second LSTM output. */
const keras2Functional = {
  class_name: 'Functional',
  config: {
    name: 'two_towers',
    layers: [
      { class_name: 'InputLayer', name: 'seq', config: { batch_input_shape: [null, 5, 3], dtype: 'float32', sparse: false, ragged: false, name: 'seq' }, inbound_nodes: [] },
      { class_name: 'InputLayer', name: 'side', config: { batch_input_shape: [null, 2], dtype: 'float32', sparse: false, ragged: false, name: 'side' }, inbound_nodes: [] },
      {
        class_name: 'LSTM', name: 'lstm',
        config: {
          name: 'lstm', trainable: true, dtype: 'float32', return_sequences: false, return_state: true, go_backwards: false, stateful: false,
          unroll: false, time_major: false, units: 4, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
          kernel_initializer: glorot2, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } }, bias_initializer: zeros2,
          unit_forget_bias: true, kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
          kernel_constraint: null, recurrent_constraint: null, bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0, implementation: 2,
        },
        inbound_nodes: [[['seq', 0, 0, {}]]],
      },
      { class_name: 'Concatenate', name: 'joined', config: { name: 'joined', trainable: true, dtype: 'float32', axis: -1 }, inbound_nodes: [[['lstm', 0, 0, {}], ['side', 0, 0, {}]]] },
      {
        class_name: 'Dense', name: 'hidden',
        config: { name: 'hidden', trainable: true, dtype: 'float32', units: 6, activation: 'linear', use_bias: true, kernel_initializer: glorot2, bias_initializer: zeros2, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
        inbound_nodes: [[['joined', 0, 0, {}]]],
      },
      { class_name: 'Add', name: 'residual', config: { name: 'residual', trainable: true, dtype: 'float32' }, inbound_nodes: [[['hidden', 0, 0, {}], ['joined', 0, 0, {}]]] },
    ],
    input_layers: [['seq', 0, 0], ['side', 0, 0]],
    output_layers: [['residual', 0, 0], ['lstm', 0, 1]],
  },
  keras_version: '2.13.1',
  backend: 'tensorflow',
};

/** A Keras 3 Sequential model: module/registered_name fields, DTypePolicy objects, batch_shape, build_config. */
const keras3Sequential = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    trainable: true,
    dtype: policy,
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 6, 6, 1], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
      {
        module: 'keras.layers', class_name: 'Conv2D',
        config: {
          name: 'conv2d', trainable: true, dtype: policy, filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last',
          dilation_rate: [1, 1], groups: 1, activation: 'relu', use_bias: true, kernel_initializer: init3('GlorotUniform', { seed: null }), bias_initializer: init3('Zeros'),
          kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
        },
        registered_name: null,
        build_config: { input_shape: [null, 6, 6, 1] },
      },
      { module: 'keras.layers', class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: policy, data_format: 'channels_last' }, registered_name: null, build_config: { input_shape: [null, 4, 4, 2] } },
      { module: 'keras.layers', class_name: 'LeakyReLU', config: { name: 'leaky_re_lu', trainable: true, dtype: policy, negative_slope: 0.2 }, registered_name: null },
      {
        module: 'keras.layers', class_name: 'Dense',
        config: {
          name: 'dense', trainable: true, dtype: policy, units: 2, activation: 'sigmoid', use_bias: true, kernel_initializer: init3('HeNormal', { seed: 3 }), bias_initializer: init3('Zeros'),
          kernel_regularizer: { module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0.0, l2: 0.01 }, registered_name: null },
          bias_regularizer: null, kernel_constraint: null, bias_constraint: null, lora_rank: null,
        },
        registered_name: null,
        build_config: { input_shape: [null, 32] },
      },
    ],
  },
  registered_name: null,
  build_config: { input_shape: [null, 6, 6, 1] },
};

const tensor3 = (layer: string, k = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: [layer, 0, k] } });

/** A Keras 3 functional model: `__keras_tensor__` inbound nodes, a merge layer taking a list, single-input input_layers. */
const keras3Functional = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'functional',
    trainable: true,
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'x' }, registered_name: null, name: 'x', inbound_nodes: [] },
      { module: 'keras.layers', class_name: 'Dense', config: { name: 'a', trainable: true, dtype: policy, units: 3, activation: 'tanh', use_bias: true, kernel_initializer: init3('GlorotUniform', { seed: null }), bias_initializer: init3('Zeros'), kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null }, registered_name: null, build_config: { input_shape: [null, 3] }, name: 'a', inbound_nodes: [{ args: [tensor3('x')], kwargs: {} }] },
      { module: 'keras.layers', class_name: 'Multiply', config: { name: 'gate', trainable: true, dtype: policy }, registered_name: null, build_config: { input_shape: [[null, 3], [null, 3]] }, name: 'gate', inbound_nodes: [{ args: [[tensor3('a'), tensor3('x')]], kwargs: {} }] },
      { module: 'keras.layers', class_name: 'BatchNormalization', config: { name: 'bn', trainable: true, dtype: policy, axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true, beta_initializer: init3('Zeros'), gamma_initializer: init3('Ones'), moving_mean_initializer: init3('Zeros'), moving_variance_initializer: init3('Ones'), beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, synchronized: false }, registered_name: null, name: 'bn', inbound_nodes: [{ args: [tensor3('gate')], kwargs: { training: false } }] },
    ],
    input_layers: ['x', 0, 0],
    output_layers: [['bn', 0, 0]],
  },
  registered_name: 'Functional',
};

describe('Keras 2 JSON import', () => {
  it('a Sequential model: InputLayer batch_input_shape, nested initializers/regularizers/constraints, LeakyReLU alpha', () => {
    expect(importKerasJson(JSON.stringify(keras2Sequential))).toEqual({
      type: 'Sequential',
      name: 'sequential',
      layers: [
        { type: 'InputLayer', name: 'dense_input', shape: [4] },
        {
          type: 'Dense', name: 'dense', units: 8, activation: 'relu', useBias: true,
          kernelInitializer: { type: 'GlorotUniform', seed: null }, biasInitializer: { type: 'Zeros' },
          kernelRegularizer: { type: 'L2', l2: 0.001 }, kernelConstraint: { type: 'MaxNorm', maxValue: 3, axis: 0 },
        },
        { type: 'LeakyReLU', name: 'leaky_re_lu', negativeSlope: 0.1 },
        // Keras None stays null where Kiln's argument takes null.
        { type: 'Dropout', name: 'dropout', rate: 0.5, noiseShape: null, seed: null },
        {
          type: 'Dense', name: 'dense_1', trainable: false, units: 3, activation: 'softmax', useBias: false,
          kernelInitializer: { type: 'VarianceScaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: 5 }, biasInitializer: { type: 'Zeros' },
        },
      ],
    });
    const model = modelFromDefinition(importKerasJson(keras2Sequential));
    expect(model.weightManifest().map((w) => `${w.name} ${w.shape.join('x')}`)).toEqual(['dense/kernel 4x8', 'dense/bias 8', 'dense_1/kernel 8x3']);
  });

  it('a functional model with list-form inbound nodes, two inputs, a merge, a residual and a second LSTM output', () => {
    const definition = importKerasJson(keras2Functional);
    expect(definition).toMatchObject({
      type: 'Functional',
      name: 'two_towers',
      inputs: [{ name: 'seq', shape: [5, 3] }, { name: 'side', shape: [2] }],
      outputs: ['residual', 'lstm:1'],
    });
    const layers = (definition as { layers: Record<string, unknown>[] }).layers;
    expect(layers.map((l) => [l.name, l.type, l.inbound])).toEqual([
      ['lstm', 'LSTM', ['seq']],
      ['joined', 'Concatenate', ['lstm', 'side']],
      ['hidden', 'Dense', ['joined']],
      ['residual', 'Add', ['hidden', 'joined']],
    ]);
    expect(layers[0]).toMatchObject({ units: 4, returnState: true, unitForgetBias: true, recurrentInitializer: { type: 'Orthogonal', gain: 1 } });
    // Keras arguments Kiln does not model, at their no-op values, are dropped: implementation, unroll, stateful, time_major.
    expect(layers[0]).not.toHaveProperty('implementation');
    const model = modelFromDefinition(definition);
    expect(model.outputShapes).toEqual([[6], [4]]);
  });
});

describe('Keras 3 JSON import', () => {
  it('a Sequential model: DTypePolicy objects, module/registered_name fields, batch_shape, lora_rank null', () => {
    const definition = importKerasJson(keras3Sequential);
    expect(definition).toEqual({
      type: 'Sequential',
      name: 'sequential',
      layers: [
        { type: 'InputLayer', name: 'input_layer', shape: [6, 6, 1] },
        {
          type: 'Conv2D', name: 'conv2d', filters: 2, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', dataFormat: 'channels_last', dilationRate: [1, 1],
          groups: 1, activation: 'relu', useBias: true, kernelInitializer: { type: 'GlorotUniform', seed: null }, biasInitializer: { type: 'Zeros' },
        },
        { type: 'Flatten', name: 'flatten', dataFormat: 'channels_last' },
        { type: 'LeakyReLU', name: 'leaky_re_lu', negativeSlope: 0.2 },
        {
          type: 'Dense', name: 'dense', units: 2, activation: 'sigmoid', useBias: true, kernelInitializer: { type: 'HeNormal', seed: 3 },
          biasInitializer: { type: 'Zeros' }, kernelRegularizer: { type: 'L1L2', l1: 0, l2: 0.01 },
        },
      ],
    });
    expect(modelFromDefinition(definition).outputShapes).toEqual([[2]]);
  });

  it('a functional model with __keras_tensor__ inbound nodes, a list-argument merge and a single input', () => {
    const definition = importKerasJson(keras3Functional);
    expect(definition).toMatchObject({ type: 'Functional', name: 'functional', inputs: [{ name: 'x', shape: [3] }], outputs: ['bn'] });
    const layers = (definition as { layers: Record<string, unknown>[] }).layers;
    expect(layers.map((l) => [l.name, l.inbound])).toEqual([['a', ['x']], ['gate', ['a', 'x']], ['bn', ['gate']]]);
    const model = modelFromDefinition(definition);
    expect(model.weightManifest().map((w) => w.name)).toEqual(['a/kernel', 'a/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
  });

  it('the wrappers TensorFlow.js and older converters put around a topology', () => {
    const wrapped = { modelTopology: { keras_version: '2.1.6', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: keras2Sequential.config.layers } } };
    const definition = importKerasJson(wrapped);
    expect(definition).toMatchObject({ type: 'Sequential', layers: [{ type: 'InputLayer' }, { type: 'Dense' }, { type: 'LeakyReLU' }, { type: 'Dropout' }, { type: 'Dense' }] });
  });
});

describe('Keras 3 JSON export', () => {
  /** Copies random weights into b from a so that both compute the same function. */
  function sameWeights(a: ReturnType<typeof modelFromDefinition>, b: ReturnType<typeof modelFromDefinition>): void {
    expect(b.weightManifest()).toEqual(a.weightManifest());
    b.setWeights(a.getWeights());
  }

  function randomInput(shape: number[]): { shape: number[]; data: Float32Array } {
    const rng = new Rng(11);
    const data = new Float32Array(shape.reduce((x, y) => x * y, 1)).map(() => rng.uniform() * 2 - 1);
    return { shape, data };
  }

  it('writes a Keras 3 Sequential config (InputLayer batch_shape, module fields, DTypePolicy) that imports back to the same model', () => {
    const original = modelFromDefinition({
      type: 'Sequential',
      name: 'net',
      seed: 1,
      layers: [
        { type: 'Dense', name: 'd1', units: 5, inputShape: [3], activation: 'relu', kernelInitializer: { type: 'HeUniform', seed: 2 }, kernelRegularizer: 'l2' },
        { type: 'LeakyReLU', name: 'lr', negativeSlope: 0.05 },
        { type: 'Dense', name: 'd2', units: 2, activation: 'softmax' },
      ],
    });
    const json = JSON.parse(exportKerasJson(original));
    expect(json).toMatchObject({ module: 'keras', class_name: 'Sequential', registered_name: null, build_config: { input_shape: [null, 3] } });
    const [input, d1, lr] = json.config.layers;
    expect(input).toEqual({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null });
    expect(d1).toMatchObject({
      module: 'keras.layers',
      class_name: 'Dense',
      registered_name: null,
      config: {
        name: 'd1', units: 5, activation: 'relu', use_bias: true, dtype: policy,
        kernel_initializer: { module: 'keras.initializers', class_name: 'HeUniform', config: { seed: 2 }, registered_name: null },
        kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null },
      },
    });
    expect(d1.config).not.toHaveProperty('input_shape');
    expect(lr.config).toMatchObject({ negative_slope: 0.05 });
    const again = modelFromDefinition(importKerasJson(json));
    sameWeights(original, again);
    const x = randomInput([2, 3]);
    expect(Array.from(again.predict(x).data)).toEqual(Array.from(original.predict(x).data));
  });

  it('writes a Keras 3 functional config with __keras_tensor__ nodes that imports back to the same graph', () => {
    const definition = {
      type: 'Functional' as const,
      name: 'graph',
      inputs: [{ name: 'p', shape: [4] }, { name: 'q', shape: [4] }],
      layers: [
        { type: 'Dense', name: 'h', units: 4, inbound: ['p'] },
        { type: 'Add', name: 'sum', inbound: ['h', 'q'] },
        { type: 'Concatenate', name: 'cat', inbound: ['sum', 'p'] },
        { type: 'Dense', name: 'out', units: 1, inbound: ['cat'] },
      ],
      outputs: ['out', 'sum'],
    };
    const original = modelFromDefinition(definition);
    const json = JSON.parse(exportKerasJson(original));
    expect(json).toMatchObject({ class_name: 'Functional', config: { input_layers: [['p', 0, 0], ['q', 0, 0]], output_layers: [['out', 0, 0], ['sum', 0, 0]] } });
    const sum = json.config.layers.find((l: { name: string }) => l.name === 'sum');
    expect(sum.inbound_nodes).toEqual([{
      args: [[
        { class_name: '__keras_tensor__', config: { dtype: 'float32', keras_history: ['h', 0, 0] } },
        { class_name: '__keras_tensor__', config: { dtype: 'float32', keras_history: ['q', 0, 0] } },
      ]],
      kwargs: {},
    }]);
    // One input and one output are written bare, as Keras 3 does for a model built on single tensors.
    const single = JSON.parse(exportKerasJson({ ...definition, inputs: [definition.inputs[0]!], layers: [definition.layers[0]!], outputs: ['h'] }));
    expect(single.config).toMatchObject({ input_layers: ['p', 0, 0], output_layers: ['h', 0, 0] });
    expect(importKerasJson(single)).toMatchObject({ inputs: [{ name: 'p', shape: [4] }], outputs: ['h'] });
    const imported = importKerasJson(json);
    expect((imported as { layers: { name: string; inbound: string[] }[] }).layers.map((l) => [l.name, l.inbound])).toEqual(definition.layers.map((l) => [l.name, l.inbound]));
    const again = modelFromDefinition(imported);
    sameWeights(original, again);
    const xs = [randomInput([2, 4]), randomInput([2, 4])];
    again.predictOutputs(xs).forEach((t, k) => expect(Array.from(t.data)).toEqual(Array.from(original.predictOutputs(xs)[k]!.data)));
  });
});
