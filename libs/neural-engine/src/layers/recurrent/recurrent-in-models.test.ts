import { describe, expect, it } from 'vitest';
import { Sequential } from '../../model/sequential.js';
import type { LayerConfig } from '../layer.js';

/*
 * The recurrent layers inside Sequential models: timestep masks from Embedding(maskZero) reach them, padding is
 * ignored whichever side it is on, and fit trains through masks, Bidirectional and TimeDistributed.
 */

const ids = { shape: [3, 4], data: [3, 5, 0, 0, 0, 0, 3, 5, 3, 5, 2, 1] };

function model(maskZero: boolean, recurrent: LayerConfig): Sequential {
  return new Sequential(
    [{ type: 'Embedding', inputDim: 6, outputDim: 3, maskZero, inputShape: [4] }, recurrent, { type: 'Dense', units: 1 }],
    { seed: 4 },
  );
}

describe('recurrent layers in models', () => {
  it.each([
    { type: 'LSTM', units: 3 },
    { type: 'GRU', units: 3 },
    { type: 'Bidirectional', layer: { type: 'SimpleRNN', units: 2 } },
  ])('$type: right- and left-padded copies of a sequence give the same prediction with maskZero', (recurrent) => {
    const masked = model(true, recurrent).predict(ids).data;
    expect(masked[0]).toBeCloseTo(masked[1]!, 12);
    expect(Math.abs(masked[2]! - masked[0]!)).toBeGreaterThan(1e-6);
    const unmasked = model(false, recurrent).predict(ids).data;
    expect(Math.abs(unmasked[0]! - unmasked[1]!)).toBeGreaterThan(1e-6);
  });

  it('fit lowers the loss through a masked Bidirectional LSTM and a TimeDistributed Dense', async () => {
    const net = new Sequential(
      [
        { type: 'Embedding', inputDim: 6, outputDim: 4, maskZero: true, inputShape: [4] },
        { type: 'Bidirectional', layer: { type: 'LSTM', units: 3, returnSequences: true, dropout: 0.1 } },
        { type: 'TimeDistributed', layer: { type: 'Dense', units: 2, activation: 'tanh' } },
        { type: 'GRU', units: 2 },
        { type: 'Dense', units: 1 },
      ],
      { seed: 2 },
    );
    net.compile({ optimizer: { type: 'Adam', learningRate: 0.02 }, loss: 'mse' });
    const y = { shape: [3, 1], data: [0.5, 0.5, -0.5] };
    const history = await net.fit(ids, y, { epochs: 30, batchSize: 3 });
    const losses = history.history.loss!;
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
  });
});
