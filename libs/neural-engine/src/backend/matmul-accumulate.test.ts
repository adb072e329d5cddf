import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { MatmulOptions } from './backend.js';
import type { Tensor } from '../tensor.js';
import { testBackend } from '../testing/test-backend.js';

/*
 * matmul with `accumulate` adds the product into `out` (weight gradients do: Dense, the LSTM's recurrent kernel). On
 * either backend it must equal the product added afterwards — bit for bit while the shared dimension fits one block of
 * the WebAssembly GEMM (256 steps), within float32 rounding beyond it, where the GEMM adds block by block into out.
 */

const backend = testBackend();
const rng = new Rng(41);
const random = (shape: number[]): Tensor => backend.fromValues(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniformRange(-1, 1)));

describe('matmul with accumulate', () => {
  const forms: MatmulOptions[] = [{}, { transposeA: true }, { transposeB: true }];
  for (const [m, k, n] of [[1, 1, 1], [5, 7, 3], [13, 64, 9], [8, 300, 12]] as const) {
    for (const form of forms) {
      it(`${m}×${k}×${n} ${JSON.stringify(form)}: out + product`, () => {
        const a = random(form.transposeA ? [k, m] : [m, k]);
        const b = random(form.transposeB ? [n, k] : [k, n]);
        const out0 = random([m, n]);
        const expected = backend.clone(out0);
        backend.addInPlace(expected, backend.matmul(a, b, form));
        const out = backend.clone(out0);
        expect(backend.matmul(a, b, { ...form, accumulate: true }, out)).toBe(out);
        if (k <= 256) expect(Array.from(out.data)).toEqual(Array.from(expected.data));
        else for (let i = 0; i < out.size; i++) expect(Math.abs(out.data[i]! - expected.data[i]!)).toBeLessThanOrEqual(1e-5 * (k + Math.abs(expected.data[i]!)));
      });
    }
  }

  it('needs out, and out of the product\'s size', () => {
    const [a, b] = [random([2, 3]), random([3, 4])];
    expect(() => backend.matmul(a, b, { accumulate: true })).toThrow(/matmul with accumulate needs out, the \[2, 4\] tensor/);
    expect(() => backend.matmul(a, b, { accumulate: true }, random([2, 3]))).toThrow(/matmul output .* holds 6 values; the product is \[2, 4\]/);
  });
});
