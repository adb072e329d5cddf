import { describe, expect, it } from 'vitest';
import { Sequential } from '../../model/sequential.js';
import { Rng } from '../../rng.js';

/*
 * End to end: a tiny convnet (Conv2D → MaxPooling2D → Flatten → Dense softmax) trained by Sequential.fit learns to
 * tell a horizontal bright bar from a vertical one in noisy 8x8 images, which a convolution's shared 3x3 filters
 * see directly wherever the bar is.
 */

/** `n` noisy 8x8x1 images, each with one bar of length 3-6 at a random place; label 0 = horizontal, 1 = vertical. */
function bars(n: number, rng: Rng): { x: number[][][][]; y: number[] } {
  const x: number[][][][] = [];
  const y: number[] = [];
  for (let s = 0; s < n; s++) {
    const image = Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => [rng.uniformRange(0, 0.3)]));
    const vertical = s % 2;
    const length = 3 + Math.floor(rng.uniform() * 4);
    const along = Math.floor(rng.uniform() * (8 - length + 1));
    const across = Math.floor(rng.uniform() * 8);
    for (let k = 0; k < length; k++) {
      const [row, col] = vertical ? [along + k, across] : [across, along + k];
      image[row]![col]![0] = 1;
    }
    x.push(image);
    y.push(vertical);
  }
  return { x, y };
}

describe('a tiny Sequential convnet trains', () => {
  it('classifies horizontal vs vertical bars with >= 0.95 held-out accuracy, its loss falling', async () => {
    const rng = new Rng(4);
    const train = bars(96, rng);
    const test = bars(64, rng);
    const model = new Sequential(
      [
        { type: 'Conv2D', filters: 8, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] },
        { type: 'MaxPooling2D', poolSize: 2 },
        { type: 'Flatten' },
        { type: 'Dense', units: 2, activation: 'softmax' },
      ],
      { seed: 1 },
    );
    // Held-out accuracy with these settings: 1.0 for seed 1 (also 0.953, 1.0, 1.0 for seeds 2, 3, 5 of data and model).
    model.compile({ optimizer: { type: 'Adam', learningRate: 0.02 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 30, batchSize: 16 });
    const losses = history.history.loss!;
    console.log(`bars convnet: loss ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}`);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    const logs = model.evaluate(test.x, test.y);
    console.log(`bars convnet: held-out accuracy ${logs.accuracy}`);
    expect(logs.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
