import { Worker } from 'node:worker_threads';
import type { WasmF32 } from '../float-arena.js';
import type { KernelExports } from '../kernel-module.js';
import type { WasmMemory, WasmModule } from '../webassembly.js';
import {
  CONTROL_SLOTS, DESCRIPTOR_FLOATS, Descriptor, ERROR_BYTES, MAX_ARGS, POOL_KERNELS, type PoolKernel, Slot, Status, WorkerState,
} from './pool-protocol.js';
import { CpuWait, procRunQueueClock } from './cpu-wait.js';
import { SplitBalance } from './split-balance.js';
import { SPLIT_SPECS, partition, partitionByShares } from './split-specs.js';
import { WORKER_SOURCE } from './worker-source.js';

/*
 * A persistent pool of worker_threads over one WebAssembly memory. Each worker instantiates the kernels over the
 * memory once, then sleeps on its control word; `run` cuts one kernel call's range into a part per participant
 * (sized by each one's measured speed on the same op, see split-balance.ts), posts the workers' parts, computes the first part on the calling thread (the pool's last participant) and waits
 * for the others. Ops are synchronous for the caller, like the single-threaded kernels.
 *
 * Workers start on the first op (or `ready()`); a worker that is not ready yet, failed to start or was closed does
 * not hold anything up: the caller computes its part inline. A worker whose part throws (a wasm trap, say) or that
 * does not answer within the timeout makes the op throw, naming the op and the worker's error, and is replaced.
 */

export interface KernelPoolOptions {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  /** The calling thread's instance; its parts (and parts of absent workers) run here. */
  readonly callerExports: KernelExports;
  /** Number of workers (threads − 1: the calling thread is the last participant). */
  readonly workers: number;
  /** A gemm scratch buffer for one worker (only the owning thread allocates). */
  readonly allocateScratch: () => WasmF32;
  /**
   * Microseconds a worker polls its control word for the next op before sleeping on it, and the caller polls a
   * worker's DONE word before sleeping on it (see spinUntil). Default 0: sleep at once. Neither side polls while the
   * calling thread waits for a CPU (`cpuWait`).
   */
  readonly workerSpinMicros?: number;
  readonly callerSpinMicros?: number;
  /** Says whether the calling thread waits for a CPU (default: a CpuWait on /proc, see cpu-wait.ts). */
  readonly cpuWait?: Pick<CpuWait, 'check'>;
  /** Milliseconds the caller waits for a worker's part before declaring it hung (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * Whether the caller, done with its own part, computes the parts no worker has started yet (default true). Off,
   * every posted part is computed by its worker (tests that must see the workers compute).
   */
  readonly steal?: boolean;
  /**
   * Whether each op's next split gives every participant a share in proportion to its measured speed on that op
   * (default true; see split-balance.ts). Off, every split is even.
   */
  readonly balance?: boolean;
}

/**
 * Counters of what the pool did: split ops; parts computed by workers; parts the caller computed for absent workers;
 * parts posted to a worker that the caller took back before the worker started them; workers replaced; times polling
 * was turned off because the calling thread waited for a CPU.
 */
export interface PoolStats {
  splitOps: number;
  workerParts: number;
  inlineParts: number;
  stolenParts: number;
  replacedWorkers: number;
  pollingPauses: number;
}

interface WorkerSlot {
  worker: Worker | undefined;
  control: Int32Array;
  descriptor: Float64Array;
  error: Uint8Array;
  scratch: WasmF32;
  /** Resolves once the worker is ready or will never be (failed to start, exited). */
  ready: Promise<void>;
  /** Why the worker failed to start: its part is computed inline from then on. */
  startupError: string | undefined;
}

interface Posted {
  index: number;
  slot: WorkerSlot;
  request: number;
  part: [number, number];
}

/** Sleep slices of a wait, so a hung worker is noticed within about one slice of the timeout. */
const WAIT_SLICE_MS = 100;
const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * The calling thread's run-queue wait is sampled every CPU_WAIT_WINDOW_MS; above CPU_WAIT_SHARE of the window nobody
 * polls for the next CPU_WAIT_HOLD_MS. Polling itself makes the caller wait a little (its own isolate's GC threads
 * need a core too): training W1 and W3 at 2 threads alone on 2 cores with polling always on, 100 ms windows showed a
 * median share of 0.03–0.05 and a 90th percentile of 0.10–0.20; with one other busy process, 10th percentile 0.35,
 * median 0.46. (25 ms windows were too noisy: a 90th percentile of 0.15–0.23 alone.) The hold only matters when a
 * window was high by chance (a burst of V8's background compiling, say): while other work really takes the CPU, the
 * window after a hold is measured with polling off and is high again. So it is short: with a 1 s hold, one run of W1
 * at batch 256 alone had polling off for 27 % of its split ops, each then paying a futex wake-up on both sides.
 */
const CPU_WAIT_WINDOW_MS = 100;
const CPU_WAIT_SHARE = 0.25;
const CPU_WAIT_HOLD_MS = 250;
const decoder = new TextDecoder();

export class KernelPool {
  /** Participants of a split op: the workers and the calling thread. */
  readonly threads: number;
  readonly stats: PoolStats = { splitOps: 0, workerParts: 0, inlineParts: 0, stolenParts: 0, replacedWorkers: 0, pollingPauses: 0 };
  private readonly slots: WorkerSlot[] = [];
  private readonly args: number[] = [];
  private closing: Promise<void> | undefined;
  private readonly timeoutMs: number;
  private readonly cpuWait: Pick<CpuWait, 'check'>;
  /** Whether either side is configured to poll at all. */
  private readonly pollingConfigured: boolean;
  /** Whether the two sides may poll now (no polling configured: never). */
  private polling: boolean;
  private readonly balance: SplitBalance | undefined;

  constructor(private readonly options: KernelPoolOptions) {
    const { workers } = options;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`KernelPool workers = ${workers}: expected a positive integer`);
    this.threads = workers + 1;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.cpuWait = options.cpuWait ?? new CpuWait(procRunQueueClock, CPU_WAIT_WINDOW_MS, CPU_WAIT_SHARE, CPU_WAIT_HOLD_MS);
    this.pollingConfigured = (options.workerSpinMicros ?? 0) > 0 || (options.callerSpinMicros ?? 0) > 0;
    this.polling = this.pollingConfigured;
    this.balance = options.balance === false ? undefined : new SplitBalance(this.threads);
  }

  /** Whether the two sides poll before sleeping now: configured to, and the calling thread gets its CPU. */
  get pollsNow(): boolean {
    return this.polling;
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Starts the workers if needed; resolves when every one is ready to take parts (or has failed to start). */
  async ready(): Promise<void> {
    this.start();
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** Why workers failed to start (empty when all started). */
  get startupErrors(): string[] {
    return this.slots.flatMap((s) => (s.startupError ? [s.startupError] : []));
  }

  /**
   * Runs the kernel `name` with `args` (its full argument list, as the calling thread would pass it, already
   * checked), its range split between the threads. Throws if any part throws; all parts have finished by then.
   */
  run(name: PoolKernel, args: readonly number[]): void {
    const spec = SPLIT_SPECS[name];
    if (args.length > MAX_ARGS) throw new RangeError(`kernel pool: ${name} called with ${args.length} arguments (at most ${MAX_ARGS})`);
    const start = args[spec.range] ?? 0;
    const end = args[spec.range + 1] ?? 0;
    this.start();
    this.updatePolling();
    // Ops of the same kernel over the same range length are taken for the same op of the next step.
    const key = this.balance ? `${name}:${end - start}` : '';
    const shares = this.balance?.shares(key);
    // Part p goes to participant p: the caller first, then worker p − 1. An uneven split may leave a part empty.
    const parts = shares ? partitionByShares(start, end, shares, spec.align) : partition(start, end, this.threads, spec.align);
    const posted: Posted[] = [];
    const inline: [number, number][] = parts.slice(0, 1);
    for (let p = 1; p < parts.length; p++) {
      const index = p - 1;
      const slot = this.slots[index];
      if (parts[p]![1] <= parts[p]![0]) continue;
      if (slot && this.isReady(slot)) posted.push(this.post(index, slot, name, args, parts[p]!));
      else inline.push(parts[p]!);
    }
    this.stats.splitOps++;
    this.stats.inlineParts += inline.length - 1;

    let callerError: unknown;
    const kernel = this.options.callerExports[name] as (...a: number[]) => void;
    const own = this.args;
    own.length = 0;
    own.push(...args);
    const compute = ([s, e]: [number, number]): void => {
      own[spec.range] = s;
      own[spec.range + 1] = e;
      kernel(...own);
    };
    const began = performance.now();
    try {
      for (const part of inline) compute(part);
    } catch (e) {
      callerError = e;
    }
    const ownMs = performance.now() - began;
    // Parts no worker has claimed yet: taken back (and computed, unless the op already failed here).
    const running = posted.filter((p) => {
      if (this.options.steal === false || !claim(p.slot.control, p.request)) return true;
      this.stats.stolenParts++;
      if (callerError === undefined) {
        try {
          compute(p.part);
        } catch (e) {
          callerError = e;
        }
      }
      return false;
    });
    this.stats.workerParts += running.length;
    // Every claimed part is waited for, even when the caller's failed: they write into the memory.
    const failures = running.flatMap((p) => this.collect(p, name));
    if (failures.length > 0) {
      const first = failures[0]!;
      const more = failures.length > 1 ? ` (and ${failures.length - 1} more worker failure${failures.length > 2 ? 's' : ''})` : '';
      throw new Error(`kernel pool: ${name} failed on worker ${first.index} (range [${first.part[0]}, ${first.part[1]})): ${first.message}${more}; the worker was replaced`, { cause: first.detail });
    }
    if (callerError !== undefined) throw callerError;
    // Speeds are learned only from calls where every participant computed its own part (none absent, none taken back).
    if (this.balance && inline.length === 1 && running.length === posted.length) {
      this.balance.record(key, 0, (parts[0]![1] - parts[0]![0]) / spec.align, ownMs);
      for (const p of running) this.balance.record(key, p.index + 1, (p.part[1] - p.part[0]) / spec.align, p.slot.descriptor[Descriptor.ELAPSED_MS]!);
    }
  }

  /** Terminates the workers (idempotent: a second call returns the first's promise). Later ops run on the caller. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.slots.map(async (slot) => {
      Atomics.store(slot.control, Slot.STATE, WorkerState.CLOSING);
      Atomics.add(slot.control, Slot.REQUEST, 1);
      Atomics.notify(slot.control, Slot.REQUEST);
      const worker = slot.worker;
      slot.worker = undefined;
      await worker?.terminate();
    })).then(() => undefined);
    return this.closing;
  }

  /** Turns polling off on both sides while the calling thread waits for a CPU, and back on when it no longer does. */
  private updatePolling(): void {
    if (!this.pollingConfigured) return;
    const polling = !this.cpuWait.check(performance.now());
    if (polling === this.polling) return;
    this.polling = polling;
    if (!polling) this.stats.pollingPauses++;
    for (const slot of this.slots) Atomics.store(slot.control, Slot.SPIN, polling ? 1 : 0);
  }

  private start(): void {
    if (this.slots.length > 0 || this.closed) return;
    for (let i = 0; i < this.options.workers; i++) this.slots.push(this.spawn(this.options.allocateScratch()));
  }

  private isReady(slot: WorkerSlot): boolean {
    return !this.closed && slot.worker !== undefined && Atomics.load(slot.control, Slot.STATE) === WorkerState.READY;
  }

  private spawn(scratch: WasmF32): WorkerSlot {
    const control = new SharedArrayBuffer(CONTROL_SLOTS * 4);
    const controlWords = new Int32Array(control);
    controlWords[Slot.SPIN] = this.polling ? 1 : 0;
    const descriptor = new SharedArrayBuffer(DESCRIPTOR_FLOATS * 8);
    const error = new SharedArrayBuffer(ERROR_BYTES);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: this.options.module,
        memory: this.options.memory,
        control,
        descriptor,
        error,
        scratch: scratch.ptr,
        kernels: POOL_KERNELS,
        spinMs: (this.options.workerSpinMicros ?? 0) / 1000,
      },
    });
    // Never keeps the process alive: a pool nobody closed must not hang the end of a program or a test run.
    worker.unref();
    const slot: WorkerSlot = {
      worker,
      control: controlWords,
      descriptor: new Float64Array(descriptor),
      error: new Uint8Array(error),
      scratch,
      ready: Promise.resolve(),
      startupError: undefined,
    };
    slot.ready = new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.on('error', (e: Error) => {
        // Only start-up can throw outside the loop's try/catch; a worker that failed to start is not reused.
        if (slot.worker === worker) {
          slot.startupError = `${e.name}: ${e.message}`;
          slot.worker = undefined;
        }
        resolve();
      });
      worker.once('exit', () => {
        if (slot.worker === worker) slot.worker = undefined;
        resolve();
      });
    });
    return slot;
  }

  private post(index: number, slot: WorkerSlot, name: PoolKernel, args: readonly number[], part: [number, number]): Posted {
    const spec = SPLIT_SPECS[name];
    const d = slot.descriptor;
    d[Descriptor.OP] = POOL_KERNELS.indexOf(name);
    d[Descriptor.ARGC] = args.length;
    d[Descriptor.SCRATCH_ARG] = spec.scratch;
    for (let i = 0; i < args.length; i++) d[Descriptor.ARGS + i] = args[i]!;
    d[Descriptor.ARGS + spec.range] = part[0];
    d[Descriptor.ARGS + spec.range + 1] = part[1];
    const request = (Atomics.load(slot.control, Slot.REQUEST) + 1) | 0;
    Atomics.store(slot.control, Slot.REQUEST, request);
    Atomics.notify(slot.control, Slot.REQUEST);
    return { index, slot, request, part };
  }

  /** Waits for a posted part; returns its failure (after replacing the worker), or nothing. */
  private collect(p: Posted, name: PoolKernel): { index: number; part: [number, number]; message: string; detail: string }[] {
    const { control } = p.slot;
    if (this.polling) spinUntil(control, Slot.DONE, p.request, (this.options.callerSpinMicros ?? 0) / 1000);
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(control, Slot.DONE);
      if (done === p.request) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.replace(p.index, true);
        const detail = `no answer within ${this.timeoutMs} ms`;
        return [{ index: p.index, part: p.part, message: `worker hung: ${detail}`, detail }];
      }
      Atomics.wait(control, Slot.DONE, done, Math.min(WAIT_SLICE_MS, left));
    }
    if (Atomics.load(control, Slot.STATUS) === Status.OK) return [];
    const detail = decoder.decode(p.slot.error.slice(0, Atomics.load(control, Slot.ERROR_LENGTH)));
    this.replace(p.index, false);
    return [{ index: p.index, part: p.part, message: detail.split('\n')[0] ?? detail, detail }];
  }

  /**
   * Terminates a worker and spawns a fresh one. A hung worker may still be writing into its scratch until the
   * termination lands, so its successor gets a new one.
   */
  private replace(index: number, hung: boolean): void {
    const old = this.slots[index]!;
    const worker = old.worker;
    old.worker = undefined;
    worker?.terminate().catch(() => undefined);
    this.stats.replacedWorkers++;
    if (this.closed) return;
    this.slots[index] = this.spawn(hung ? this.options.allocateScratch() : old.scratch);
  }
}

/**
 * Polls `control[slot]` until it equals `value` or `ms` milliseconds have passed (the clock read once per 64 polls).
 * A wait that ends while polling costs no futex wake-up on either side: on the 2-vCPU VMs this was measured on, an
 * Atomics.notify that wakes a sleeper blocks its caller ~33 µs and the sleeper runs ~75 µs later, twice per split op
 * (post and answer); a notify with no sleeper is a lock and a list check.
 */
function spinUntil(control: Int32Array, slot: number, value: number, ms: number): void {
  if (ms <= 0) return;
  const until = performance.now() + ms;
  do {
    for (let i = 0; i < 64; i++) if (Atomics.load(control, slot) === value) return;
  } while (performance.now() < until);
}

/** Claims a posted part for the caller: true unless its worker claimed it first. */
function claim(control: Int32Array, request: number): boolean {
  const previous = (request - 1) | 0;
  return Atomics.compareExchange(control, Slot.CLAIM, previous, request) === previous;
}
