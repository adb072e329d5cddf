import { describe, expect, it } from 'vitest';

// bench/lib/simd-ceiling.mjs encodes its WebAssembly module by hand: check that it is valid and computes what its
// timing assumes (every chain, every iteration), or the ceiling the bench prints would be meaningless.
const { ceilingKernel, measureSimdCeiling } = await import(new URL('../bench/lib/simd-ceiling.mjs', import.meta.url).href);

describe('the f32x4 ceiling loop', () => {
  for (const chains of [4, 5, 6]) {
    it(`with ${chains} chains of each kind runs n multiplies and n adds on every chain`, () => {
      const kernel = ceilingKernel(chains);
      expect(kernel(3, 2, 1.5)).toBe(chains * (2 ** 3 + 3 * 1.5));
      expect(kernel(0, 2, 1.5)).toBe(chains);
      expect(kernel(10, 1, 0.25)).toBe(chains * (1 + 2.5));
    });
  }

  it('reports a rate for the fastest chain count', () => {
    const r = measureSimdCeiling({ runs: 1, minMs: 5 });
    expect([4, 5, 6]).toContain(r.chains);
    expect(r.median).toBeGreaterThan(0);
    expect(Number.isFinite(r.median)).toBe(true);
  });
});
