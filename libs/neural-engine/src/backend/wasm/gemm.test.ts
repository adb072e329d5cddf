import { beforeAll, describe, expect, it } from 'vitest';
import { matmulNN } from '../../kernels/matmul.js';
import { referenceMatmul } from '../../kernels/reference.js';
import { Rng } from '../../rng.js';
import type { WasmF32 } from './float-arena.js';
import { WasmKernels } from './wasm-kernels.js';

// Tests run against the current AssemblyScript sources: vitest's global setup (scripts/vitest-global-setup.mjs) builds
// them before any test file loads the module.

function fillRandom(view: Float32Array, rng: Rng): void {
  for (let i = 0; i < view.length; i++) view[i] = rng.uniformRange(-1, 1);
}

/** Bytes of a float buffer, for bitwise comparison. */
function bytesOf(view: Float32Array): Buffer {
  return Buffer.from(view.slice().buffer);
}

/** op(A)[i, p] and op(B)[p, j] read the way the kernel does, in float64: Σ_p |a·b| bounds the rounding error. */
function magnitude(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += Math.abs((tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!));
    out[i * n + j] = s;
  }
  return out;
}

// Shapes: 1-sized dimensions, odd sizes, sizes that are not multiples of the 4x8 tile, k across the 256-step block,
// n across the 128-column block, n leaving 1..7 columns in the last strip (4x4 and 4x8 edge tiles).
const shapes: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [3, 1, 5], [4, 8, 8], [5, 3, 9], [7, 13, 12], [9, 31, 4], [13, 2, 17],
  [17, 129, 65], [33, 257, 10], [6, 300, 129], [64, 784, 128], [2, 513, 131], [70, 40, 3],
];
const forms = [[false, false], [true, false], [false, true], [true, true]] as const;

describe('wasm gemm against the naive reference', () => {
  let kernels: WasmKernels;
  beforeAll(() => {
    kernels = WasmKernels.create({ initialBytes: 4 * 2 ** 20, maximumBytes: 256 * 2 ** 20 });
  });
  const rng = new Rng(11);

  for (const [m, k, n] of shapes) {
    for (const [tA, tB] of forms) {
      for (const accumulate of [false, true]) {
        const form = `${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}${accumulate ? ' (accumulate)' : ''}`;
        it(`${form} for m=${m} k=${k} n=${n}`, () => {
          const { arena } = kernels;
          const a = arena.alloc(m * k);
          const b = arena.alloc(k * n);
          const c = arena.alloc(m * n);
          fillRandom(arena.view(a), rng);
          fillRandom(arena.view(b), rng);
          fillRandom(arena.view(c), rng); // stale values: overwritten, or the starting point when accumulating
          const before = arena.view(c).slice();
          kernels.gemm(a, b, c, m, k, n, { transposeA: tA, transposeB: tB, accumulate });
          const av = arena.view(a);
          const bv = arena.view(b);
          const expected = referenceMatmul(av, bv, m, k, n, tA, tB);
          const bound = magnitude(av, bv, m, k, n, tA, tB);
          const got = arena.view(c);
          // float32 sums of k products in another order than the float64 reference: the error stays within
          // 1e-5 of Σ|a·b| (k·ε ≈ 3e-5 is the worst case for k = 513; random signs make it ~√k·ε in practice).
          let worst = 0;
          for (let i = 0; i < m * n; i++) {
            const want = expected[i]! + (accumulate ? before[i]! : 0);
            const scale = bound[i]! + (accumulate ? Math.abs(before[i]!) : 0) + 1e-30;
            worst = Math.max(worst, Math.abs(got[i]! - want) / scale);
          }
          expect(worst).toBeLessThan(1e-5);
          for (const x of [a, b, c]) arena.release(x);
        });
      }
    }
  }

  it('C = A·B with k = 0 is all zeros, and C += A·B leaves C unchanged', () => {
    const { arena } = kernels;
    const a = arena.alloc(0);
    const b = arena.alloc(0);
    const c = arena.alloc(15);
    arena.view(c).fill(2);
    kernels.gemm(a, b, c, 3, 0, 5, { accumulate: true });
    expect([...arena.view(c)].every((v) => v === 2)).toBe(true);
    kernels.gemm(a, b, c, 3, 0, 5);
    expect([...arena.view(c)].every((v) => v === 0)).toBe(true);
  });

  it('agrees with the JS kernel within float32 rounding at a W1 shape', () => {
    const [m, k, n] = [64, 784, 128];
    const { arena } = kernels;
    const a = arena.alloc(m * k);
    const b = arena.alloc(k * n);
    const c = arena.alloc(m * n);
    fillRandom(arena.view(a), rng);
    fillRandom(arena.view(b), rng);
    kernels.gemm(a, b, c, m, k, n);
    const js = new Float32Array(m * n);
    matmulNN(arena.view(a), arena.view(b), js, m, k, n);
    const got = arena.view(c);
    let worst = 0;
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i]! - js[i]!));
    expect(worst).toBeLessThan(1e-4); // |C| ~ √784 ≈ 28; ε·k·|a·b| ≈ 5e-5 at worst
  });
});

describe('wasm gemm row ranges', () => {
  const rng = new Rng(5);
  // Split points that cut 4-row tiles in the middle, single rows, and an empty range.
  const splits = [[0, 1, 2, 3, 6, 6, 11, 25, 37], [0, 5, 18, 37], [0, 37]];

  for (const [tA, tB] of forms) {
    for (const accumulate of [false, true]) {
      it(`any split of the rows is bitwise equal to one call: ${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}${accumulate ? ' (accumulate)' : ''}`, () => {
        const kernels = WasmKernels.create({ initialBytes: 2 ** 20, maximumBytes: 64 * 2 ** 20 });
        const { arena } = kernels;
        const [m, k, n] = [37, 300, 70];
        const a = arena.alloc(m * k);
        const b = arena.alloc(k * n);
        fillRandom(arena.view(a), rng);
        fillRandom(arena.view(b), rng);
        const start = new Float32Array(m * n);
        fillRandom(start, rng);
        const results = splits.map((cuts) => {
          const c = arena.alloc(m * n);
          arena.view(c).set(start);
          for (let s = 0; s + 1 < cuts.length; s++) {
            kernels.gemm(a, b, c, m, k, n, { transposeA: tA, transposeB: tB, accumulate, rowStart: cuts[s]!, rowEnd: cuts[s + 1]! });
          }
          return bytesOf(arena.view(c));
        });
        expect(results[0]!.equals(results[2]!)).toBe(true);
        expect(results[1]!.equals(results[2]!)).toBe(true);
      });
    }
  }

  it('a row range writes only its own rows', () => {
    const kernels = WasmKernels.create({ initialBytes: 2 ** 20, maximumBytes: 16 * 2 ** 20 });
    const { arena } = kernels;
    const [m, k, n] = [10, 9, 11];
    const a = arena.alloc(m * k);
    const b = arena.alloc(k * n);
    const c = arena.alloc(m * n);
    fillRandom(arena.view(a), rng);
    fillRandom(arena.view(b), rng);
    arena.view(c).fill(7);
    kernels.gemm(a, b, c, m, k, n, { rowStart: 3, rowEnd: 6 });
    const view = arena.view(c);
    for (let i = 0; i < m * n; i++) {
      const row = Math.floor(i / n);
      if (row < 3 || row >= 6) expect(view[i]).toBe(7);
      else expect(view[i]).not.toBe(7);
    }
  });
});

describe('wasm gemm argument checks', () => {
  it('rejects operands too small, misaligned or outside memory, and bad row ranges, saying which', () => {
    const kernels = WasmKernels.create({ initialBytes: 2 ** 20, maximumBytes: 16 * 2 ** 20 });
    const { arena } = kernels;
    const a = arena.alloc(6);
    const b = arena.alloc(9);
    const c = arena.alloc(4);
    expect(() => kernels.gemm(a, b, c, 2, 3, 3)).toThrow(/operand C holds 4 floats; \[m=2, n=3\] needs 6/);
    expect(() => kernels.gemm(a, b, c, 2, 4, 2)).toThrow(/operand A holds 6 floats; \[m=2, k=4\] needs 8/);
    expect(() => kernels.gemm(a, b, c, 2, 3, 2, { transposeB: true, rowEnd: 3 })).toThrow(/rows \[0, 3\): expected 0 <= rowStart <= rowEnd <= m = 2/);
    const misaligned: WasmF32 = { ptr: a.ptr + 4, length: 6 };
    expect(() => kernels.gemm(misaligned, b, c, 2, 3, 2)).toThrow(/operand A at byte \d+: expected a 16-byte aligned offset/);
    const outside: WasmF32 = { ptr: kernels.memory.buffer.byteLength - 16, length: 9 };
    expect(() => kernels.gemm(a, outside, c, 2, 3, 2)).toThrow(/operand B .* lies outside the \d+-byte memory/);
    expect(() => kernels.gemm(a, b, c, 2.5, 3, 2)).toThrow(/gemm m = 2.5: expected a non-negative 32-bit integer/);
  });
});
