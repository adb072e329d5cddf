import type { WasmF32 } from './float-arena.js';
import type { KernelExports } from './kernel-module.js';
import type { WasmMemory } from './webassembly.js';

/*
 * The typed, checked call of the module's GEMM. Checks happen here, once per call, because the kernel itself trusts
 * its pointers: a wrong size would read or write other tensors silently.
 */

/** Which operands are transposed, whether C accumulates, and which rows of C this call computes. */
export interface GemmOptions {
  /** A is stored [k, m] (op(A) = Aᵀ). */
  transposeA?: boolean;
  /** B is stored [n, k] (op(B) = Bᵀ). */
  transposeB?: boolean;
  /** C += op(A)·op(B) instead of C = op(A)·op(B). */
  accumulate?: boolean;
  /** First row of C computed (default 0). */
  rowStart?: number;
  /** One past the last row of C computed (default m). */
  rowEnd?: number;
}

function checkOperand(name: string, buffer: WasmF32, need: number, shape: string, memoryBytes: number): void {
  if (buffer.length < need) throw new RangeError(`gemm operand ${name} holds ${buffer.length} floats; ${shape} needs ${need}`);
  if (buffer.ptr % 16 !== 0 || buffer.ptr < 0) throw new RangeError(`gemm operand ${name} at byte ${buffer.ptr}: expected a 16-byte aligned offset`);
  if (buffer.ptr + need * 4 > memoryBytes) {
    throw new RangeError(`gemm operand ${name} [${buffer.ptr}, ${buffer.ptr + need * 4}) lies outside the ${memoryBytes}-byte memory`);
  }
}

/**
 * C = op(A)·op(B) (or C += ...) for rows [rowStart, rowEnd) of the m×n result, with op(A) m×k and op(B) k×n.
 * `scratch` must hold `kernels.gemmScratchBytes()` bytes used by no other concurrent call.
 */
export function gemm(
  kernels: KernelExports, memory: WasmMemory,
  a: WasmF32, b: WasmF32, c: WasmF32,
  m: number, k: number, n: number,
  scratch: WasmF32, options: GemmOptions = {},
): void {
  const { transposeA = false, transposeB = false, accumulate = false, rowStart = 0, rowEnd = m } = options;
  for (const [name, v] of [['m', m], ['k', k], ['n', n]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`gemm ${name} = ${v}: expected a non-negative 32-bit integer`);
  }
  if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowEnd > m || rowStart > rowEnd) {
    throw new RangeError(`gemm rows [${rowStart}, ${rowEnd}): expected 0 <= rowStart <= rowEnd <= m = ${m}`);
  }
  const bytes = memory.buffer.byteLength;
  checkOperand('A', a, m * k, transposeA ? `[k=${k}, m=${m}]` : `[m=${m}, k=${k}]`, bytes);
  checkOperand('B', b, k * n, transposeB ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`, bytes);
  checkOperand('C', c, m * n, `[m=${m}, n=${n}]`, bytes);
  checkOperand('scratch', scratch, kernels.gemmScratchBytes() / 4, 'the gemm scratch', bytes);
  kernels.gemm(+transposeA, +transposeB, a.ptr, b.ptr, c.ptr, m, k, n, rowStart, rowEnd, +accumulate, scratch.ptr);
}
