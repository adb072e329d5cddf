import { describe, expect, it } from 'vitest';
import { StatsAccumulator, shortestFloat32 } from './column-stats.js';
import { seededRandom } from '../testing/sources.js';

describe('StatsAccumulator', () => {
  it('matches a two-pass computation, including columns with a large offset (where naive sum of squares fails)', () => {
    const random = seededRandom(9);
    const rows = 5000;
    const width = 3;
    const data = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      data[r * width] = random() * 10 - 5;
      data[r * width + 1] = 1e6 + random(); // tiny variance on a huge mean
      data[r * width + 2] = r % 2 === 0 ? -3 : 3;
    }
    const acc = new StatsAccumulator(width);
    // In uneven batches, as chunks arrive.
    for (let r = 0; r < rows;) {
      const n = Math.min(rows - r, 1 + Math.floor(random() * 700));
      acc.addRows(data.subarray(r * width, (r + n) * width), n);
      r += n;
    }
    const stats = acc.result((j) => `c${j}`);
    for (let j = 0; j < width; j++) {
      const column = Array.from({ length: rows }, (_, r) => data[r * width + j]!);
      const mean = column.reduce((a, b) => a + b, 0) / rows;
      const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / rows);
      expect(stats[j]!.name).toBe(`c${j}`);
      expect(stats[j]!.count).toBe(rows);
      expect(Math.abs(stats[j]!.mean - mean)).toBeLessThan(1e-12 * Math.max(1, Math.abs(mean)));
      expect(Math.abs(stats[j]!.std - std) / std).toBeLessThan(1e-9);
      expect(stats[j]!.min).toBe(shortestFloat32(Math.min(...column)));
      expect(stats[j]!.max).toBe(shortestFloat32(Math.max(...column)));
    }
    expect(stats[2]).toMatchObject({ min: -3, max: 3 });
    expect(stats[2]!.mean).toBeCloseTo(0, 12);
    expect(stats[2]!.std).toBeCloseTo(3, 12);
  });

  it('gives zeros rather than NaN or Infinity when there are no rows', () => {
    expect(new StatsAccumulator(1).result(() => 'a')).toEqual([{ name: 'a', count: 0, min: 0, max: 0, mean: 0, std: 0 }]);
  });
});

describe('shortestFloat32', () => {
  it('prints stored float32 values as the decimals people typed', () => {
    expect(shortestFloat32(Math.fround(4.3))).toBe(4.3);
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(Math.fround(3.4028235e38))).toBe(3.4028235e38);
    expect(shortestFloat32(16)).toBe(16);
    expect(Math.fround(shortestFloat32(Math.fround(Math.PI)))).toBe(Math.fround(Math.PI));
  });
});
