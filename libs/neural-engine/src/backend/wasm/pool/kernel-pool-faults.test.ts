import { describe, expect, it } from 'vitest';
import { WasmKernels } from '../wasm-kernels.js';
import { webAssembly } from '../webassembly.js';
import { KernelPool } from './kernel-pool.js';

/*
 * The pool's failure behaviour with real faults, through `KernelPool.run` directly (it trusts its arguments; the
 * backend checks them first, so these calls are ones the backend would refuse):
 * - a worker whose part traps (its rows lie outside the memory, the caller's do not) makes the op throw, naming the
 *   op, the worker, its range and the trap; the worker is replaced and the next op uses it;
 * - a worker that does not answer within the timeout (its part is a long GEMM) gives the same, as a hang;
 * - a worker that fails to start (given a module without the kernels) is not reused: its parts run on the caller;
 * - close() is idempotent and ops after it run on the caller.
 */

function setUp(workers: number, initialBytes: number, timeoutMs?: number): { kernels: WasmKernels; pool: KernelPool } {
  const kernels = WasmKernels.create({ initialBytes, maximumBytes: 2 ** 28 });
  const pool = new KernelPool({
    module: kernels.module, memory: kernels.memory, callerExports: kernels.exports, workers,
    // No stealing: the caller must not take back the worker's (faulty) part.
    allocateScratch: () => kernels.allocateScratch(), steal: false, ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { kernels, pool };
}

/** Splits a valid scale (x · 2 into out) and checks every element and that the workers computed their parts. */
function expectWorkingScale(kernels: WasmKernels, pool: KernelPool): void {
  const n = 1000;
  const x = kernels.arena.alloc(n);
  const out = kernels.arena.alloc(n);
  kernels.arena.view(x).set(Array.from({ length: n }, (_, i) => i / 7 - 30));
  const before = pool.stats.workerParts;
  pool.run('scale', [x.ptr, 2, out.ptr, 0, n]);
  expect(pool.stats.workerParts - before).toBe(pool.threads - 1);
  const got = kernels.arena.view(out);
  for (let i = 0; i < n; i++) if (got[i] !== Math.fround((i / 7 - 30) * 2)) throw new Error(`element ${i}: ${got[i]}`);
  kernels.arena.release(out);
  kernels.arena.release(x);
}

describe('KernelPool failures', () => {
  it('a worker whose part traps: the op throws naming op, worker, range and trap; the replaced worker takes the next op', async () => {
    const { kernels, pool } = setUp(1, 2 ** 22);
    try {
      await pool.ready();
      const n = 1024;
      const x = kernels.arena.alloc(n);
      // out's first 512 floats are the memory's last bytes: the caller's part [0, 512) fits, the worker's [512, 1024) traps.
      const outPtr = kernels.memory.buffer.byteLength - 512 * 4;
      expect(() => pool.run('scale', [x.ptr, 2, outPtr, 0, n])).toThrow(
        /^kernel pool: scale failed on worker 0 \(range \[512, 1024\)\): RuntimeError: memory access out of bounds; the worker was replaced$/,
      );
      expect(pool.stats.replacedWorkers).toBe(1);
      await pool.ready();
      expectWorkingScale(kernels, pool);
    } finally {
      await pool.close();
    }
  });

  it('at 3 threads, two failing workers: the first is named, the other counted, both replaced', async () => {
    const { kernels, pool } = setUp(2, 2 ** 22);
    try {
      await pool.ready();
      const n = 1024;
      const x = kernels.arena.alloc(n);
      // Parts [0, 352), [352, 688), [688, 1024): elements from 512 on lie outside the memory.
      const outPtr = kernels.memory.buffer.byteLength - 512 * 4;
      expect(() => pool.run('scale', [x.ptr, 2, outPtr, 0, n])).toThrow(
        /^kernel pool: scale failed on worker 0 \(range \[352, 688\)\): RuntimeError: memory access out of bounds \(and 1 more worker failure\); the worker was replaced$/,
      );
      expect(pool.stats.replacedWorkers).toBe(2);
      await pool.ready();
      expectWorkingScale(kernels, pool);
    } finally {
      await pool.close();
    }
  });

  it('a worker that does not answer within the timeout: the op throws a hang, the worker is replaced', async () => {
    const [m, k, n] = [1024, 4096, 4096];
    const { kernels, pool } = setUp(1, 112 * 2 ** 20, 100);
    try {
      await pool.ready();
      const b = kernels.arena.alloc(k * n);
      const c = kernels.arena.alloc(m * n);
      // A's pointer sits 512 rows below address 2^32: the caller's rows [0, 512) trap at once, the worker's rows
      // [512, 1024) wrap around to the bottom of the memory and make a 512×4096×4096 GEMM (seconds, far beyond the
      // 100 ms timeout).
      const a = -(512 * k * 4);
      const scratch = kernels.scratch.ptr;
      expect(() => pool.run('gemm', [0, 0, a, b.ptr, c.ptr, m, k, n, 0, m, 0, scratch])).toThrow(
        /^kernel pool: gemm failed on worker 0 \(range \[512, 1024\)\): worker hung: no answer within 100 ms; the worker was replaced$/,
      );
      expect(pool.stats.replacedWorkers).toBe(1);
      await pool.ready();
      expectWorkingScale(kernels, pool);
    } finally {
      await pool.close();
    }
  });

  it('a worker that fails to start is not reused: ready() resolves, the error is kept, its parts run on the caller', async () => {
    const kernels = WasmKernels.create({ initialBytes: 2 ** 20 });
    const empty = new webAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const pool = new KernelPool({
      module: empty, memory: kernels.memory, callerExports: kernels.exports, workers: 1, allocateScratch: () => kernels.allocateScratch(),
    });
    try {
      await pool.ready();
      expect(pool.startupErrors).toEqual(['Error: pool worker: the module exports no kernel gemm']);
      const n = 64;
      const x = kernels.arena.alloc(n);
      kernels.arena.view(x).fill(2);
      pool.run('scale', [x.ptr, 3, x.ptr, 0, n]);
      expect([...kernels.arena.view(x)]).toEqual(new Array(n).fill(6));
      expect(pool.stats).toMatchObject({ workerParts: 0, inlineParts: 1, replacedWorkers: 0 });
    } finally {
      await pool.close();
    }
  });

  it('close() is idempotent, and ops after it run on the calling thread', async () => {
    const { kernels, pool } = setUp(2, 2 ** 22);
    await pool.ready();
    expectWorkingScale(kernels, pool);
    const first = pool.close();
    expect(pool.close()).toBe(first);
    await first;
    const before = { ...pool.stats };
    const n = 100;
    const x = kernels.arena.alloc(n);
    kernels.arena.view(x).fill(3);
    pool.run('scale', [x.ptr, 0.5, x.ptr, 0, n]);
    expect([...kernels.arena.view(x)]).toEqual(new Array(n).fill(1.5));
    expect(pool.stats.workerParts).toBe(before.workerParts);
    expect(pool.stats.inlineParts).toBe(before.inlineParts + 2);
  });
});
