import { describe, expect, it } from 'vitest';
import { SPLIT_SPECS, partition } from './split-specs.js';
import { POOL_KERNELS } from './pool-protocol.js';

describe('partition', () => {
  it('covers [start, end) with contiguous, non-empty, aligned parts as even as the units allow', () => {
    for (const [start, end, parts, align] of [[0, 1, 3, 4], [0, 203, 2, 4], [0, 203, 3, 4], [5, 6, 2, 1], [0, 1000, 3, 16], [0, 7, 3, 8], [3, 100, 7, 1]] as const) {
      const cut = partition(start, end, parts, align);
      const units = Math.ceil((end - start) / align);
      expect(cut.length, `${start}..${end} / ${parts}`).toBe(Math.min(parts, units));
      expect(cut[0]![0]).toBe(start);
      expect(cut[cut.length - 1]![1]).toBe(end);
      cut.forEach(([s, e], i) => {
        expect(e).toBeGreaterThan(s);
        if (i > 0) expect(s).toBe(cut[i - 1]![1]);
        if (i < cut.length - 1) expect((e - s) % align).toBe(0);
      });
      const unitsPerPart = cut.map(([s, e]) => Math.ceil((e - s) / align));
      expect(Math.max(...unitsPerPart) - Math.min(...unitsPerPart)).toBeLessThanOrEqual(1);
    }
  });

  it('gives nothing for an empty range', () => {
    expect(partition(4, 4, 3, 1)).toEqual([]);
  });

  it('has a split spec for every pool kernel', () => {
    expect(Object.keys(SPLIT_SPECS).sort()).toEqual([...POOL_KERNELS].sort());
  });
});
