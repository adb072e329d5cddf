import { describe, expect, it } from 'vitest';
import { testBackend } from '../testing/test-backend.js';
import { gatherSamples } from './data.js';

// gatherSamples copies whole samples in index order: one block when the indices are consecutive, row by row otherwise.

describe('gatherSamples', () => {
  const b = testBackend();
  const values = Array.from({ length: 15 }, (_, i) => i + 0.5);
  const sources = {
    'a Float32Array': Float32Array.from(values),
    'an Int32Array (copied as numbers)': Int32Array.from(values, Math.floor),
    'a plain array': values,
  };
  for (const [name, data] of Object.entries(sources)) {
    it(`from ${name}: consecutive, shuffled and offset ranges of [5, 3] samples`, () => {
      const source = { shape: [5, 3], data };
      const rows = (order: number[]) => order.flatMap((r) => Array.from(data).slice(3 * r, 3 * r + 3));
      for (const [indices, start, end] of [[[0, 1, 2, 3, 4], 0, 5], [[0, 1, 2, 3, 4], 1, 4], [[4, 0, 3, 1, 2], 0, 5], [[4, 2, 3, 1, 0], 1, 4], [[2, 3, 4, 0, 1], 0, 3]] as const) {
        const t = gatherSamples(b, source, indices, start, end);
        expect(t.shape).toEqual([end - start, 3]);
        expect(Array.from(t.data)).toEqual(rows(indices.slice(start, end)));
      }
      expect(gatherSamples(b, source, [0, 1], 1, 1).shape).toEqual([0, 3]);
    });
  }
});
