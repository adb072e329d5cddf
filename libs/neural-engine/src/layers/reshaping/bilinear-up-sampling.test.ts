import { describe, expect, it } from 'vitest';
import { JsBackend } from '../../backend/js-backend.js';
import { Rng } from '../../rng.js';
import { createLayer } from '../index.js';
import { bilinearAxis } from './bilinear-weights.js';

/*
 * Bilinear UpSampling2D against values worked out by hand from Keras 3's definition (ops.image.resize, half-pixel
 * centers, antialias off). For a factor of 2 along an axis of 2 entries, output index o reads input position
 * (o + 0.5)/2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last entry, 1): per-axis weights of
 * input 0 are [1, 0.75, 0.25, 0] and of input 1 are [0, 0.25, 0.75, 1].
 */

const backend = new JsBackend('float64');

function upSample(values: number[], size: number | [number, number], inputShape: [number, number, number]) {
  const layer = createLayer({ type: 'UpSampling2D', size, interpolation: 'bilinear' });
  layer.build(inputShape, { backend, rng: new Rng(0) });
  return { layer, y: layer.call(backend.fromValues([1, ...inputShape], values), true) };
}

describe('bilinear UpSampling2D', () => {
  it('interpolates a 1×2 row with half-pixel centers', () => {
    const { y } = upSample([10, 20], [1, 2], [1, 2, 1]);
    expect(Array.from(y.data)).toEqual([10, 12.5, 17.5, 20]);
  });

  it('interpolates a 2×2 image to 4×4', () => {
    const { y } = upSample([0, 4, 8, 12], 2, [2, 2, 1]);
    // Rows blend [0, 4] and [8, 12] with weights [1, 0.75, 0.25, 0] of the first row; columns likewise.
    const row = (a: number, b: number) => [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b];
    const top = row(0, 4);
    const bottom = row(8, 12);
    const expected = [0, 1, 2, 3].flatMap((r) => {
      const w = [1, 0.75, 0.25, 0][r]!;
      return top.map((t, c) => w * t + (1 - w) * bottom[c]!);
    });
    expect(Array.from(y.data)).toEqual(expected);
  });

  it('sends each output gradient back with the same weights (2×2 → 4×4, dy = 1..16)', () => {
    const { layer } = upSample([0, 0, 0, 0], 2, [2, 2, 1]);
    const dx = layer.callBackward(backend.fromValues([1, 4, 4, 1], Array.from({ length: 16 }, (_, i) => i + 1)));
    // dx[0,0] = Σ_y wy0[y] Σ_x wx0[x] (4y + x + 1), with w0 = [1, .75, .25, 0]: Σ_x gives 8y + 3.25, Σ_y gives 16.5.
    // The same sums with w1 = [0, .25, .75, 1] give 23.5, 44.5 and 51.5; together 136 = Σ dy, as no weight is lost.
    expect(Array.from(dx.data)).toEqual([16.5, 23.5, 44.5, 51.5]);
  });

  it('has per-axis weights that sum to the up-sampling factor for each input entry', () => {
    for (const [inSize, factor] of [[2, 2], [3, 2], [4, 3], [1, 5]] as const) {
      const { lower, upper, frac } = bilinearAxis(inSize, inSize * factor);
      const mass = new Array<number>(inSize).fill(0);
      for (let o = 0; o < inSize * factor; o++) {
        mass[lower[o]!]! += 1 - frac[o]!;
        mass[upper[o]!]! += frac[o]!;
      }
      mass.forEach((m) => expect(m).toBeCloseTo(factor, 12));
    }
  });
});
