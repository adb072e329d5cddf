import { describe, expect, it } from 'vitest';
import '../index.js'; // the layer registry first: recurrent/ is part of its import cycle (wrappers nest any layer)
import type { LayerConfig } from '../layer.js';
import { checkLayerGradients } from '../../testing/layer-gradient-check.js';

/*
 * Bidirectional and TimeDistributed gradients against centered finite differences (float64, h = 1e-5, inputs with 0
 * and negatives): dL/dx and every weight of both directions / of the wrapped layer, for every merge mode.
 */

const TOL = 1e-6;

function expectGradients(config: LayerConfig, inputShape: number[], mask?: { shape: number[]; values: number[] }): Record<string, number> {
  const errors = checkLayerGradients({ config, inputShapes: [inputShape], ...(mask ? { mask } : {}) });
  expect(errors.inputs[0], 'dL/dx').toBeLessThan(TOL);
  for (const [name, err] of Object.entries(errors.weights)) expect(err, name).toBeLessThan(TOL);
  return errors.weights;
}

describe('Bidirectional', () => {
  const modes = ['concat', 'sum', 'mul', 'ave', null] as const;
  it.each(modes)('mergeMode %s, returnSequences (backward sequence re-reversed)', (mergeMode) => {
    const weights = expectGradients({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2, returnSequences: true }, mergeMode }, [3, 2]);
    expect(Object.keys(weights)).toEqual([
      'checked/forward_lstm/kernel', 'checked/forward_lstm/recurrent_kernel', 'checked/forward_lstm/bias',
      'checked/backward_lstm/kernel', 'checked/backward_lstm/recurrent_kernel', 'checked/backward_lstm/bias',
    ]);
  });
  it.each(modes)('mergeMode %s, last output', (mergeMode) => {
    expectGradients({ type: 'Bidirectional', layer: { type: 'GRU', units: 2 }, mergeMode }, [3, 2]);
  });
  it('returnState: gradients reach both directions through the merged output and all four LSTM states', () => {
    expectGradients({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2, returnState: true } }, [3, 2]);
  });
  it('returnState without merging, GRU resetAfter false', () => {
    expectGradients({ type: 'Bidirectional', layer: { type: 'GRU', units: 2, returnState: true, returnSequences: true, resetAfter: false }, mergeMode: null }, [3, 2]);
  });
  it('a timestep mask (masked outputs are zero in both directions)', () => {
    const mask = { shape: [2, 3], values: [1, 1, 0, 0, 1, 1] };
    expectGradients({ type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 2, returnSequences: true } }, [3, 2], mask);
    expectGradients({ type: 'Bidirectional', layer: { type: 'LSTM', units: 2 }, mergeMode: 'mul' }, [3, 2], mask);
  });
  it('an explicit backward layer of another type, with dropout drawn once', () => {
    expectGradients({
      type: 'Bidirectional',
      layer: { type: 'GRU', units: 2, dropout: 0.3, recurrentDropout: 0.3 },
      backwardLayer: { type: 'SimpleRNN', units: 2, goBackwards: true },
    }, [3, 2]);
  });
});

describe('TimeDistributed', () => {
  it('Dense on every step, weights named under the wrapper', () => {
    const weights = expectGradients({ type: 'TimeDistributed', layer: { type: 'Dense', units: 3, activation: 'tanh' } }, [4, 2]);
    expect(Object.keys(weights)).toEqual(['checked/kernel', 'checked/bias']);
  });
  it('Dense with an activity regularizer and a kernel regularizer, on a rank-4 input', () => {
    expectGradients({ type: 'TimeDistributed', layer: { type: 'Dense', units: 2, activityRegularizer: 'l2', kernelRegularizer: 'l1' } }, [2, 3, 2]);
  });
  it('an LSTM over the inner axis of every step', () => {
    expectGradients({ type: 'TimeDistributed', layer: { type: 'LSTM', units: 2, returnSequences: true } }, [2, 3, 2]);
  });
  it('Dropout with the draw fixed', () => {
    expectGradients({ type: 'TimeDistributed', layer: { type: 'Dropout', rate: 0.5, seed: 3 } }, [3, 4]);
  });
});
