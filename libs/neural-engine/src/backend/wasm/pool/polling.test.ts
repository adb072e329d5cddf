import { cpuUsage } from 'node:process';
import { describe, expect, it } from 'vitest';
import { WasmKernels } from '../wasm-kernels.js';
import { KernelPool } from './kernel-pool.js';

/*
 * Polling before sleeping (workerSpinMicros, callerSpinMicros): a worker polls for its next op only while the calling
 * thread gets its CPU (CpuWait, scripted here), ops are computed the same either way, and a polling worker still
 * closes. That the worker polls is seen in the process's CPU time while the calling thread sleeps: a polling worker
 * burns it, a sleeping one does not.
 */

/** A CpuWait stand-in whose answer the test sets. */
interface ScriptedCpuWait {
  waiting: boolean;
  check(): boolean;
}

function setUp(spinMicros: number): { kernels: WasmKernels; pool: KernelPool; cpuWait: ScriptedCpuWait } {
  const kernels = WasmKernels.create({ initialBytes: 2 ** 22, maximumBytes: 2 ** 26 });
  const cpuWait: ScriptedCpuWait = { waiting: false, check() { return this.waiting; } };
  const pool = new KernelPool({
    module: kernels.module, memory: kernels.memory, callerExports: kernels.exports, workers: 1,
    allocateScratch: () => kernels.allocateScratch(), steal: false,
    workerSpinMicros: spinMicros, callerSpinMicros: spinMicros, cpuWait,
  });
  return { kernels, pool, cpuWait };
}

/** Splits x · 3 into out and checks every element and that the worker computed its part. */
function scaleOnce(kernels: WasmKernels, pool: KernelPool): void {
  const n = 4096;
  const x = kernels.arena.alloc(n);
  const out = kernels.arena.alloc(n);
  kernels.arena.view(x).set(Array.from({ length: n }, (_, i) => i - 2000));
  const before = pool.stats.workerParts;
  pool.run('scale', [x.ptr, 3, out.ptr, 0, n]);
  expect(pool.stats.workerParts - before).toBe(1);
  const got = kernels.arena.view(out);
  for (let i = 0; i < n; i++) if (got[i] !== (i - 2000) * 3) throw new Error(`element ${i}: ${got[i]}`);
  kernels.arena.release(out);
  kernels.arena.release(x);
}

/** CPU milliseconds the process spends while this thread sleeps for `ms`. */
async function cpuWhileSleeping(ms: number): Promise<number> {
  const before = cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('KernelPool polling', () => {
  it('a worker polls after its part while the caller gets its CPU, sleeps at once while it does not; results alike', async () => {
    // A poll window far longer than the test: a polling worker polls throughout.
    const { kernels, pool, cpuWait } = setUp(60_000_000);
    try {
      await pool.ready();
      scaleOnce(kernels, pool);
      expect(pool.pollsNow).toBe(true);
      // The worker polls for its next op: one core's worth of CPU time while this thread sleeps (a quarter allows
      // for a loaded machine).
      expect(await cpuWhileSleeping(400)).toBeGreaterThan(100);

      cpuWait.waiting = true;
      scaleOnce(kernels, pool);
      expect(pool.pollsNow).toBe(false);
      // The op after the switch still started the poll that the switch ends; the next one sleeps at once.
      scaleOnce(kernels, pool);
      expect(await cpuWhileSleeping(400)).toBeLessThan(40);

      cpuWait.waiting = false;
      scaleOnce(kernels, pool);
      expect(pool.pollsNow).toBe(true);
      expect(await cpuWhileSleeping(400)).toBeGreaterThan(100);
    } finally {
      await pool.close();
    }
  });

  it('a polling worker closes: close() ends its poll', async () => {
    const { kernels, pool } = setUp(60_000_000);
    await pool.ready();
    scaleOnce(kernels, pool);
    await pool.close();
    expect(await cpuWhileSleeping(300)).toBeLessThan(40);
  });

  it('without polling configured, the pool never polls whatever the CPU wait', async () => {
    const { kernels, pool } = setUp(0);
    try {
      await pool.ready();
      scaleOnce(kernels, pool);
      expect(pool.pollsNow).toBe(false);
      expect(await cpuWhileSleeping(300)).toBeLessThan(40);
    } finally {
      await pool.close();
    }
  });
});
