import { CONTROL_SLOTS, Descriptor, ERROR_BYTES, Slot, Status, WorkerState } from './pool-protocol.js';

/*
 * The pool worker's program, plain JavaScript run with `new Worker(code, { eval: true })`: a string works the same
 * under vitest (where sources are .ts a worker could not load) and from dist, with no file to locate. The protocol's
 * constants are spliced in from pool-protocol.ts so the two sides cannot disagree. It reaches worker_threads through
 * a dynamic import, which works whether Node runs it as a script or, when the parent was started with
 * `--input-type=module` (inherited by workers), as a module where `require` does not exist.
 *
 * workerData: { module, memory, control, descriptor, error, scratch, kernels, spinMs } — the compiled module and the
 * shared memory to instantiate over, this worker's control Int32 SharedArrayBuffer, descriptor Float64 buffer and
 * error byte buffer, the byte offset of its own gemm scratch, the kernel names in op-code order, and for how many
 * milliseconds to poll REQUEST before sleeping on it (the clock read once per 64 polls, as the caller's spinUntil).
 */
export const WORKER_SOURCE = `
import('node:worker_threads').then(({ parentPort, workerData }) => {
const { module, memory, control, descriptor, error, scratch, kernels, spinMs } = workerData;
const ctl = new Int32Array(control);
if (ctl.length !== ${CONTROL_SLOTS}) throw new Error('pool worker: control block of ' + ctl.length + ' slots');
const desc = new Float64Array(descriptor);
const errorBytes = new Uint8Array(error);
const exportsOf = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = kernels.map((name) => {
  const fn = exportsOf[name];
  if (typeof fn !== 'function') throw new Error('pool worker: the module exports no kernel ' + name);
  return fn;
});
const encoder = new TextEncoder();

function report(e) {
  const text = (e && e.stack) || String(e);
  const bytes = encoder.encode(text).subarray(0, ${ERROR_BYTES});
  errorBytes.set(bytes);
  ctl[${Slot.ERROR_LENGTH}] = bytes.length;
}

// Read before announcing READY: the caller posts as soon as it sees READY, and that op must not count as seen.
let seen = Atomics.load(ctl, ${Slot.REQUEST});
Atomics.store(ctl, ${Slot.STATE}, ${WorkerState.READY});
Atomics.notify(ctl, ${Slot.STATE});
parentPort.postMessage('ready');

for (;;) {
  // A bounded poll first, while the caller allows it (SPIN is 0 when its thread waits for a CPU: polling would take
  // CPU from the thread that posts): the next op of a training step, posted while this worker polls, starts without a
  // futex wake-up, which costs the caller's notify ~33 µs and this worker ~75 µs to run on the VMs measured.
  if (spinMs > 0 && Atomics.load(ctl, ${Slot.SPIN}) !== 0) {
    const until = performance.now() + spinMs;
    polling: do {
      for (let i = 0; i < 64; i++) if (Atomics.load(ctl, ${Slot.REQUEST}) !== seen) break polling;
    } while (performance.now() < until);
  }
  Atomics.wait(ctl, ${Slot.REQUEST}, seen);
  const request = Atomics.load(ctl, ${Slot.REQUEST});
  if (Atomics.load(ctl, ${Slot.STATE}) === ${WorkerState.CLOSING}) break;
  if (request === seen) continue;
  seen = request;
  // The caller may have taken this part while the worker was not running; then it is not ours to compute.
  if (Atomics.compareExchange(ctl, ${Slot.CLAIM}, (request - 1) | 0, request) !== ((request - 1) | 0)) continue;
  const argc = desc[${Descriptor.ARGC}];
  const args = new Array(argc);
  for (let i = 0; i < argc; i++) args[i] = desc[${Descriptor.ARGS} + i];
  const scratchArg = desc[${Descriptor.SCRATCH_ARG}];
  if (scratchArg >= 0) args[scratchArg] = scratch;
  let status = ${Status.OK};
  const began = performance.now();
  try {
    fns[desc[${Descriptor.OP}]](...args);
  } catch (e) {
    status = ${Status.FAILED};
    report(e);
  }
  desc[${Descriptor.ELAPSED_MS}] = performance.now() - began;
  Atomics.store(ctl, ${Slot.STATUS}, status);
  Atomics.store(ctl, ${Slot.DONE}, seen);
  Atomics.notify(ctl, ${Slot.DONE});
}
});
`;
