import type { ContractSample } from '../contract-sample.js';

// Parameter counts: kernel in·G·u + recurrent_kernel u·G·u + bias G·u (GRU resetAfter: 2·3·u), G = 1, 4, 3.
const params = (gates: number, inputs: number, units: number, biasRows = 1): number =>
  inputs * gates * units + units * gates * units + biasRows * gates * units;

/** Contract-test cases for the recurrent layers, by layer type (see ../contract-sample.ts). */
export const recurrentSamples: Record<string, ContractSample[]> = {
  SimpleRNN: [
    { config: { type: 'SimpleRNN', units: 3 }, inputShape: [4, 2], params: params(1, 2, 3) },
    { config: { type: 'SimpleRNN', units: 2, returnSequences: true, goBackwards: true, activation: 'relu', seed: 7 }, inputShape: [3, 2], params: params(1, 2, 2) },
    { config: { type: 'SimpleRNN', units: 2, returnState: true, useBias: false, unroll: true }, inputShape: [3, 2], params: 2 * 2 + 2 * 2 },
    { config: { type: 'SimpleRNN', units: 3, dropout: 0.3, recurrentDropout: 0.2, kernelRegularizer: 'l2', activityRegularizer: { type: 'L1', l1: 0.01 } }, inputShape: [4, 2], params: params(1, 2, 3) },
  ],
  LSTM: [
    { config: { type: 'LSTM', units: 3 }, inputShape: [4, 2], params: params(4, 2, 3) },
    { config: { type: 'LSTM', units: 2, returnSequences: true, returnState: true }, inputShape: [3, 2], params: params(4, 2, 2) },
    { config: { type: 'LSTM', units: 2, goBackwards: true, unitForgetBias: false, recurrentActivation: 'hard_sigmoid' }, inputShape: [3, 3], params: params(4, 3, 2) },
    { config: { type: 'LSTM', units: 2, returnSequences: true, dropout: 0.25, recurrentDropout: 0.25 }, inputShape: [3, 2], params: params(4, 2, 2) },
    { config: { type: 'LSTM', units: 2, trainable: false }, inputShape: [3, 2], params: params(4, 2, 2) },
  ],
  GRU: [
    { config: { type: 'GRU', units: 3 }, inputShape: [4, 2], params: params(3, 2, 3, 2) },
    { config: { type: 'GRU', units: 3, resetAfter: false }, inputShape: [4, 2], params: params(3, 2, 3) },
    { config: { type: 'GRU', units: 2, returnSequences: true, returnState: true, goBackwards: true }, inputShape: [3, 2], params: params(3, 2, 2, 2) },
    { config: { type: 'GRU', units: 2, resetAfter: false, returnState: true, dropout: 0.2, recurrentDropout: 0.3 }, inputShape: [3, 2], params: params(3, 2, 2) },
    { config: { type: 'GRU', units: 2, useBias: false }, inputShape: [3, 2], params: 2 * 6 + 2 * 6 },
  ],
  Bidirectional: [
    { config: { type: 'Bidirectional', layer: { type: 'LSTM', units: 2 } }, inputShape: [3, 2], params: 2 * params(4, 2, 2) },
    { config: { type: 'Bidirectional', layer: { type: 'GRU', units: 2, returnSequences: true, name: 'g' }, mergeMode: 'sum' }, inputShape: [3, 2], params: 2 * params(3, 2, 2, 2) },
    { config: { type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 2, returnSequences: true }, mergeMode: 'mul' }, inputShape: [3, 2], params: 2 * params(1, 2, 2) },
    { config: { type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 3 }, mergeMode: 'ave' }, inputShape: [3, 2], params: 2 * params(1, 2, 3) },
    { config: { type: 'Bidirectional', layer: { type: 'LSTM', units: 2, returnState: true, returnSequences: true }, mergeMode: null }, inputShape: [3, 2], params: 2 * params(4, 2, 2) },
    {
      config: {
        type: 'Bidirectional',
        layer: { type: 'GRU', units: 2, resetAfter: false, dropout: 0.2, recurrentDropout: 0.2 },
        backwardLayer: { type: 'SimpleRNN', units: 2, goBackwards: true, name: 'back' },
      },
      inputShape: [3, 2],
      params: params(3, 2, 2) + params(1, 2, 2),
    },
    { config: { type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 2 }, trainable: false }, inputShape: [3, 2], params: 2 * params(1, 2, 2) },
  ],
  TimeDistributed: [
    { config: { type: 'TimeDistributed', layer: { type: 'Dense', units: 3, activation: 'tanh' } }, inputShape: [4, 2], params: 2 * 3 + 3 },
    { config: { type: 'TimeDistributed', layer: { type: 'Dense', units: 2, name: 'inner' } }, inputShape: [3, 2, 4], params: 4 * 2 + 2 },
    { config: { type: 'TimeDistributed', layer: { type: 'Dropout', rate: 0.5 } }, inputShape: [3, 4], params: 0 },
    { config: { type: 'TimeDistributed', layer: { type: 'LSTM', units: 2 } }, inputShape: [3, 4, 2], params: params(4, 2, 2) },
    { config: { type: 'TimeDistributed', layer: { type: 'Dense', units: 2 }, trainable: false }, inputShape: [3, 4], params: 4 * 2 + 2 },
  ],
};
