import { describe, expect, it } from 'vitest';
import { type LayerConfig, createLayer } from '../index.js';
import { ConfigError } from '../../errors.js';
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { Rng } from '../../rng.js';

/* Config handling: Keras 3 defaults, any-spelling identifiers, round trips, and ConfigErrors naming path and value. */

function configError(config: LayerConfig): ConfigError {
  try {
    createLayer(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(config)}`);
}

const commonDefaults = {
  activation: 'tanh',
  useBias: true,
  kernelInitializer: 'glorot_uniform',
  recurrentInitializer: 'orthogonal',
  biasInitializer: 'zeros',
  dropout: 0,
  recurrentDropout: 0,
  seed: null,
  returnSequences: false,
  returnState: false,
  goBackwards: false,
  stateful: false,
  unroll: false,
};

describe('recurrent configs', () => {
  it('fill in the Keras 3 defaults', () => {
    expect(createLayer({ type: 'SimpleRNN', units: 2 }).getConfig()).toEqual({ type: 'SimpleRNN', units: 2, ...commonDefaults });
    expect(createLayer({ type: 'LSTM', units: 2 }).getConfig()).toEqual({
      type: 'LSTM', units: 2, ...commonDefaults, recurrentActivation: 'sigmoid', unitForgetBias: true,
    });
    expect(createLayer({ type: 'GRU', units: 2 }).getConfig()).toEqual({
      type: 'GRU', units: 2, ...commonDefaults, recurrentActivation: 'sigmoid', resetAfter: true,
    });
    expect(createLayer({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2 } }).getConfig()).toMatchObject({ mergeMode: 'concat' });
  });

  it('accept identifiers in any spelling, null activations, and round-trip', () => {
    const config: LayerConfig = {
      type: 'LSTM', name: 'l', units: 3, activation: null, recurrentActivation: 'HardSigmoid', kernelInitializer: 'GlorotNormal',
      recurrentInitializer: 'identity', biasInitializer: { type: 'Constant', value: 0.1 }, kernelRegularizer: 'L2',
      recurrentConstraint: 'max_norm', dropout: 0.1, recurrentDropout: 0.2, seed: 4, returnSequences: true, unroll: true,
    };
    const layer = createLayer(config);
    const round = createLayer(JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig);
    expect(round.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig()).toMatchObject({ activation: 'linear', unroll: true, seed: 4, kernelRegularizer: 'L2' });
  });

  // An explicit backward layer keeps its own name, as in Keras 3 (TF.js 4.22 ignores backwardLayer altogether).
  it('wrapper configs round-trip with the wrapped layer\'s own name', () => {
    const bi: LayerConfig = {
      type: 'Bidirectional', name: 'bi', mergeMode: null,
      layer: { type: 'GRU', units: 2, name: 'g', returnSequences: true },
      backwardLayer: { type: 'GRU', units: 2, goBackwards: true, returnSequences: true, resetAfter: false },
    };
    const layer = createLayer(bi);
    layer.build([3, 2], { backend, rng: new Rng(1) });
    const config = layer.getConfig();
    expect(config.layer).toMatchObject({ type: 'GRU', name: 'g' });
    expect(config.backwardLayer).not.toHaveProperty('name');
    expect(createLayer(config).getConfig()).toEqual(config);
    expect(layer.variables.map((v) => v.name)).toEqual([
      'bi/forward_g/kernel', 'bi/forward_g/recurrent_kernel', 'bi/forward_g/bias',
      'bi/gru/kernel', 'bi/gru/recurrent_kernel', 'bi/gru/bias',
    ]);
    layer.rename('renamed');
    expect(layer.variables[3]!.name).toBe('renamed/gru/kernel');

    const td = createLayer({ type: 'TimeDistributed', name: 'td', layer: { type: 'Dense', units: 2, name: 'inner' } });
    td.build([3, 4], { backend, rng: new Rng(1) });
    expect(td.getConfig()).toEqual({ type: 'TimeDistributed', name: 'td', layer: expect.objectContaining({ type: 'Dense', name: 'inner', units: 2 }) });
    expect(td.variables.map((v) => v.name)).toEqual(['td/kernel', 'td/bias']);
  });

  it('a frozen wrapped layer stays frozen inside a wrapper', () => {
    const td = createLayer({ type: 'TimeDistributed', layer: { type: 'Dense', units: 2, trainable: false } });
    td.build([3, 4], { backend, rng: new Rng(1) });
    expect(td.variables).toHaveLength(2);
    expect(td.trainableVariables).toEqual([]);
    const bi = createLayer({ type: 'Bidirectional', layer: { type: 'GRU', units: 2, trainable: false } });
    bi.build([3, 4], { backend, rng: new Rng(1) });
    expect(bi.variables).toHaveLength(6);
    expect(bi.trainableVariables).toEqual([]);
  });

  it('reject stateful: true, naming the path and the value', () => {
    const e = configError({ type: 'LSTM', units: 2, stateful: true });
    expect(e.message).toMatch(/stateful/);
    expect(e.message).toMatch(/not supported/);
    expect(e.issues[0]).toMatchObject({ path: 'stateful', received: true });
    expect(createLayer({ type: 'LSTM', units: 2, stateful: false }).getConfig().stateful).toBe(false);
  });

  it('reject bad values and unknown arguments with the path and the received value', () => {
    expect(configError({ type: 'GRU', units: 0 }).issues[0]).toMatchObject({ path: 'units', received: 0 });
    expect(configError({ type: 'SimpleRNN', units: 2, dropout: 1.5 }).issues[0]).toMatchObject({ path: 'dropout', received: 1.5 });
    expect(configError({ type: 'LSTM', units: 2, recurrentActivation: 'nope' }).issues[0]).toMatchObject({ path: 'recurrentActivation' });
    expect(configError({ type: 'SimpleRNN', units: 2, resetAfter: true }).message).toMatch(/resetAfter/);
    expect(configError({ type: 'LSTM', units: 2, return_sequences: true }).message).toMatch(/return_sequences/);
  });

  it('wrappers report errors inside the wrapped config at its path', () => {
    expect(configError({ type: 'Bidirectional', layer: { type: 'LSTM', units: -1 } }).issues[0]).toMatchObject({ path: 'layer.units', received: -1 });
    expect(configError({ type: 'TimeDistributed', layer: { type: 'Dense' } }).issues[0]!.path).toBe('layer.units');
    expect(configError({ type: 'TimeDistributed', layer: { type: 'Nope' } }).issues[0]).toMatchObject({ path: 'layer.type', received: 'Nope' });
    expect(configError({ type: 'Bidirectional', layer: { type: 'Dense', units: 2 } }).issues[0]).toMatchObject({ path: 'layer', received: 'Dense' });
    expect(configError({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2, activityRegularizer: 'l2' } }).issues[0]).toMatchObject({ path: 'layer.activityRegularizer' });
    expect(configError({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2 }, mergeMode: 'max' }).issues[0]).toMatchObject({ path: 'mergeMode', received: 'max' });
    // Keras 3 makes the default backward layer go backwards, so a forward layer that already does needs its own.
    expect(configError({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2, goBackwards: true } }).message).toMatch(/goBackwards/);
    expect(
      configError({
        type: 'Bidirectional', layer: { type: 'LSTM', units: 2 }, backwardLayer: { type: 'LSTM', units: 2, goBackwards: true, returnSequences: true },
      }).message,
    ).toMatch(/returnSequences/);
  });

  it('reject inputs that are not (batch, steps, features), naming the layer and the shape', () => {
    const layer = createLayer({ type: 'LSTM', name: 'lstm_1', units: 2 });
    expect(() => layer.build([5], { backend, rng: new Rng(1) })).toThrow(/lstm_1.*\(None, 5\)/);
    const td = createLayer({ type: 'TimeDistributed', name: 'td', layer: { type: 'Dense', units: 2 } });
    expect(() => td.build([5], { backend, rng: new Rng(1) })).toThrow(ConfigError);
  });
});
