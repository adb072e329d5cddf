import { describe, expect, it } from 'vitest';
import '../index.js'; // the layer registry first: recurrent/ is part of its import cycle (wrappers nest any layer)
import type { LayerConfig } from '../layer.js';
import { checkLayerGradients } from '../../testing/layer-gradient-check.js';

/*
 * Backpropagation through time against centered finite differences (float64, inputs with 0 and negatives, h = 1e-5):
 * dL/dx at every step and dL/dw for kernel, recurrent_kernel and bias, for every output combination the layers offer.
 * tanh and sigmoid are smooth, so no probe sits on a kink.
 */

const TOL = 1e-6;

function expectGradients(config: LayerConfig, inputShape = [3, 2], extra: { mask?: { shape: number[]; values: number[] } } = {}): void {
  const errors = checkLayerGradients({ config, inputShapes: [inputShape], ...extra });
  expect(errors.inputs[0], 'dL/dx').toBeLessThan(TOL);
  const names = Object.keys(errors.weights);
  expect(names.length).toBeGreaterThan(0);
  for (const [name, err] of Object.entries(errors.weights)) expect(err, name).toBeLessThan(TOL);
}

// Sample 0 keeps steps 0-1 and masks step 2 (a right-padded sequence); sample 1 masks step 0 and keeps 1-2.
const mask = { shape: [2, 3], values: [1, 1, 0, 0, 1, 1] };

const cells: LayerConfig[] = [
  { type: 'SimpleRNN', units: 3 },
  { type: 'LSTM', units: 3 },
  { type: 'GRU', units: 3 },
  { type: 'GRU', units: 3, resetAfter: false },
];

describe.each(cells)('$type (resetAfter $resetAfter) through time', (cell) => {
  it('last output', () => expectGradients(cell));
  it('returnSequences', () => expectGradients({ ...cell, returnSequences: true }));
  it('goBackwards with returnSequences', () => expectGradients({ ...cell, returnSequences: true, goBackwards: true }));
  it('returnState (gradients arriving at the output and at every state)', () => expectGradients({ ...cell, returnState: true }));
  it('returnSequences + returnState + goBackwards', () => expectGradients({ ...cell, returnSequences: true, returnState: true, goBackwards: true }));
  it('a timestep mask, returnSequences + returnState', () => expectGradients({ ...cell, returnSequences: true, returnState: true }, [3, 2], { mask }));
  it('a timestep mask, last output, goBackwards', () => expectGradients({ ...cell, goBackwards: true }, [3, 2], { mask }));
  it('dropout alone (one input mask shared by every gate)', () => expectGradients({ ...cell, returnSequences: true, dropout: 0.3 }));
  it('recurrentDropout alone', () => expectGradients({ ...cell, recurrentDropout: 0.4, returnState: true }));
  it('dropout and recurrentDropout with the draw fixed (LSTM, GRU: one mask per gate)', () => expectGradients({ ...cell, returnSequences: true, dropout: 0.3, recurrentDropout: 0.4 }));
  it('no bias, weight regularizers and an activity regularizer', () =>
    expectGradients({ ...cell, useBias: false, kernelRegularizer: 'l2', recurrentRegularizer: { type: 'L1L2', l1: 0.01, l2: 0.01 }, activityRegularizer: 'l2', returnState: true }));
});

describe('other activations', () => {
  it('LSTM with softsign / linear gates', () => expectGradients({ type: 'LSTM', units: 2, activation: 'softsign', recurrentActivation: null, returnSequences: true }));
  it('GRU with a non-default recurrent activation', () => expectGradients({ type: 'GRU', units: 2, recurrentActivation: 'tanh', activation: 'softsign' }));
});
