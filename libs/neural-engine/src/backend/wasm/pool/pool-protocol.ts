import type { KernelExports } from '../kernel-module.js';

/*
 * What the calling thread and a pool worker share, besides the WebAssembly memory: one control block per worker in
 * its own SharedArrayBuffer (never in the wasm memory, which the owning thread may grow or hand out). The caller
 * writes an op descriptor, then bumps REQUEST and notifies; the worker claims the op (CLAIM from REQUEST − 1 to
 * REQUEST, compare-and-exchange), runs it, writes STATUS (and an error text), then sets DONE = REQUEST and notifies.
 * The caller, done with its own part, may claim a part no worker has claimed yet and compute it itself (a worker not
 * scheduled in time, on a busy machine, then costs nothing); exactly one side wins the claim. Both sides use Atomics,
 * so the plain writes before them (operands copied into the memory, the descriptor, results) are visible to the
 * other side after them.
 */

/** Int32 slots of a worker's control word array. */
export const Slot = {
  /** Counter of ops posted by the caller (the worker sleeps while it equals the last one it ran). */
  REQUEST: 0,
  /** The REQUEST value of the last op the worker finished. */
  DONE: 1,
  /** Outcome of that op: Status. */
  STATUS: 2,
  /** Lifecycle of the worker: WorkerState. */
  STATE: 3,
  /** Bytes of UTF-8 error text in the error buffer. */
  ERROR_LENGTH: 4,
  /** The last REQUEST claimed, by the worker or by the caller. */
  CLAIM: 5,
  /** 1 while the worker may poll for its next op before sleeping, 0 while the caller's thread waits for a CPU. */
  SPIN: 6,
} as const;
export const CONTROL_SLOTS = 7;

export const Status = { OK: 0, FAILED: 1 } as const;

export const WorkerState = {
  /** Spawned, instantiating the module: the caller computes its share inline. */
  STARTING: 0,
  /** Sleeping on REQUEST or running an op. */
  READY: 1,
  /** Asked to leave its loop. */
  CLOSING: 2,
} as const;

/**
 * The op descriptor, float64 slots (kernel arguments include f64 scalars such as axpy's alpha): the op code, the
 * argument count, the index of the argument the worker replaces with its own gemm scratch (-1: none), the
 * milliseconds the worker's kernel call took (written by the worker before DONE; the caller balances the next split
 * of the same op with it), then the arguments.
 */
export const Descriptor = { OP: 0, ARGC: 1, SCRATCH_ARG: 2, ELAPSED_MS: 3, ARGS: 4 } as const;
export const MAX_ARGS = 16;
export const DESCRIPTOR_FLOATS = Descriptor.ARGS + MAX_ARGS;

/** Bytes of an error message a worker can report (longer ones are cut). */
export const ERROR_BYTES = 2048;

/** Kernels a pool can split; a kernel's op code is its index here. */
export const POOL_KERNELS = [
  'gemm', 'im2col', 'col2im', 'maxPool', 'maxPoolBackward', 'avgPool', 'avgPoolBackward',
  'addRowVector', 'sumRows', 'axpy', 'scale', 'reluForward', 'reluBackward', 'optimizerUpdate', 'lstmSequenceSigmoidTanh',
  'lstmBackwardSigmoidTanh', 'lstmSequenceBackwardSigmoidTanh', 'elementwise',
] as const satisfies readonly (keyof KernelExports)[];

export type PoolKernel = (typeof POOL_KERNELS)[number];
