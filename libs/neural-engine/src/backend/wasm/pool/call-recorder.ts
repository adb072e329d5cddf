import type { KernelExports } from '../kernel-module.js';
import type { WasmKernels } from '../wasm-kernels.js';
import { POOL_KERNELS, type PoolKernel } from './pool-protocol.js';

/*
 * Turns a checked kernel call into data for the pool. `kernels` is a twin of the real WasmKernels whose kernel
 * exports record their name and arguments instead of running, so a call through it goes through every check of
 * gemm.ts, window.ts and rows.ts (and writes the window geometry into the caller's scratch, where every part reads
 * it) and leaves the exact argument list the single-threaded call would have passed.
 */
export class CallRecorder {
  readonly kernels: WasmKernels;
  private recorded: { name: PoolKernel; args: number[] } | undefined;

  constructor(real: WasmKernels) {
    // A copy, not a Proxy: an instance's exports are frozen, and a Proxy may not report other values for them.
    const exports: Record<string, unknown> = { ...real.exports };
    for (const name of POOL_KERNELS) {
      exports[name] = (...args: number[]): void => {
        this.recorded = { name, args };
      };
    }
    this.kernels = real.withExports(exports as unknown as KernelExports);
  }

  /** Runs `call` on the recording twin and returns the kernel call it made. */
  record(call: (kernels: WasmKernels) => void): { name: PoolKernel; args: number[] } {
    this.recorded = undefined;
    call(this.kernels);
    const recorded = this.recorded;
    if (!recorded) throw new Error('kernel pool: the call ran no kernel');
    return recorded;
  }
}
