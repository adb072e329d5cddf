import type { MatmulOptions } from './backend.js';
import { formatShape, type Tensor } from '../tensor.js';

/** m, k, n of op(a)·op(b) for every backend's matmul, checking ranks, transposes and inner dimensions. */
export function matmulDims(a: Tensor, b: Tensor, options: MatmulOptions): { m: number; k: number; n: number } {
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new RangeError(`matmul needs rank-2 tensors, received ${formatShape(a.shape, false)} and ${formatShape(b.shape, false)}`);
  }
  const [ar, ac] = a.shape as [number, number];
  const [br, bc] = b.shape as [number, number];
  const { transposeA = false, transposeB = false } = options;
  if (transposeA && transposeB) throw new RangeError('matmul with both operands transposed is not supported');
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const kb = transposeB ? bc : br;
  const n = transposeB ? br : bc;
  if (k !== kb) {
    throw new RangeError(`matmul inner dimensions differ: ${formatShape(a.shape, false)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b.shape, false)}${transposeB ? 'ᵀ' : ''}`);
  }
  return { m, k, n };
}
