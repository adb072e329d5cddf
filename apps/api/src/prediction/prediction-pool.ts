import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { WeightSpec } from '@kiln/neural-engine';
import { AppError } from '../errors.js';
import { LruCache } from './lru-cache.js';
import type { PredictionOutput } from './run-model.js';
import { predictionThreadFile, threadExecArgv } from './thread-file.js';
import { type FromThread, type InspectedReply, type ResultReply, ThreadCommand, ThreadReply, type ToThread } from './thread-protocol.js';

/** 503: no thread can run the request (one died under it, none can start, or the api is shutting down). */
export const predictionUnavailable = (message: string) => new AppError(503, 'PREDICTION_UNAVAILABLE', message);

/** A model version as the pool sends it to threads. */
export interface PoolVersion {
  id: string;
  /** Bytes of weights: what a thread holding the version costs. */
  sizeBytes: number;
  definition: unknown;
  manifest: WeightSpec[];
  /** Weights on a SharedArrayBuffer, so sending them to a thread copies nothing. */
  weights: Uint8Array;
  /** What loading the version costs a thread, in the units of `work` (it weighs against a busy thread that holds it). */
  loadWork: number;
}

export interface PoolJob {
  version: PoolVersion;
  rows: number;
  /** Flat inputs; their buffers move to the thread (unusable here afterwards). */
  inputs: Float32Array[];
  /** Estimated multiply-adds: how busy the job makes its thread. */
  work: number;
}

export interface PredictionPoolOptions {
  threads: number;
  /** Bytes of versions each thread may hold; the least recently used is dropped beyond. */
  threadCacheBytes: number;
  /** The thread entry (JavaScript); dist/prediction/prediction-thread.js by default. */
  file?: string;
  /** Nice value of the threads (Linux): above 0, the event loop gets a core first when they compete. Default 10. */
  niceness?: number;
}

/** What a thread is doing and holding, as the main thread sees it. */
export interface ThreadState {
  threadId: number;
  ready: boolean;
  pendingRequests: number;
  pendingWork: number;
  /** Mirror of the thread's versions, least recently used first. */
  versionIds: string[];
  heldBytes: number;
}

interface Pending {
  resolve(reply: FromThread): void;
  reject(error: Error): void;
  work: number;
}

/** One thread and the main thread's record of it. */
interface Slot {
  worker: Worker;
  /** Kept here: worker.threadId reads -1 once the thread has exited. */
  threadId: number;
  /** Set by the thread's Ready message: a thread that exits before it was never working, and is not respawned at once. */
  ready: boolean;
  error: Error | null;
  pending: Map<number, Pending>;
  pendingWork: number;
  /** Mirror of the versions the thread holds; evicting one tells the thread to drop it. */
  held: LruCache<true>;
}

/**
 * A persistent pool of prediction threads (spawned on first use, replaced when one dies). Each thread keeps the
 * versions it was sent; the pool mirrors them in a byte-bounded LRU per thread, sends weights only to a thread that
 * does not hold the version, and gives each job to the least busy thread, counting a missing version as extra work.
 */
export class PredictionPool {
  private readonly slots: (Slot | null)[];
  private readonly file: string;
  private nextRequestId = 1;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: PredictionPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a positive integer, received ${options.threads}`);
    this.slots = Array.from({ length: options.threads }, () => null);
    this.file = options.file ?? predictionThreadFile();
  }

  /** Runs a job on a thread and resolves with its outputs; a thread dying under it rejects with PREDICTION_UNAVAILABLE. */
  async run(job: PoolJob): Promise<PredictionOutput[]> {
    if (this.closing) throw predictionUnavailable('the api is shutting down; retry on another instance');
    const { version } = job;
    const slot = this.leastBusy(version);
    const holds = slot.held.get(version.id) !== undefined;
    // Recording the version first lets the mirror evict (and the thread drop) older ones before this one arrives.
    if (!holds) slot.held.set(version.id, true, version.sizeBytes);
    const load = holds ? undefined : { definition: version.definition, manifest: version.manifest, weights: version.weights, retain: slot.held.has(version.id) };
    const requestId = this.nextRequestId++;
    const transfer = [...new Set(job.inputs.map((x) => x.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    const message: ToThread = { type: ThreadCommand.Predict, requestId, versionId: version.id, load, rows: job.rows, inputs: job.inputs };
    try {
      const reply = await this.send(slot, requestId, message, transfer, job.work + (load ? version.loadWork : 0));
      return (reply as ResultReply).outputs;
    } catch (error) {
      // Unsent, the version never reached the thread: the mirror must not claim it does.
      if (load && error instanceof AppError && error.code === 'PREDICTION_NOT_SENT') slot.held.delete(version.id);
      throw error;
    }
  }

  /** What each thread is doing and holding (for tests, diagnostics and metrics). */
  describe(): (ThreadState | null)[] {
    return this.slots.map((slot) =>
      slot
        ? { threadId: slot.threadId, ready: slot.ready, pendingRequests: slot.pending.size, pendingWork: slot.pendingWork, versionIds: slot.held.keys(), heldBytes: slot.held.size }
        : null,
    );
  }

  /** Asks thread `index` which versions it really holds and how many it has loaded (tests compare it with the mirror). */
  async inspect(index: number): Promise<{ versionIds: string[]; loads: number }> {
    const slot = this.slotAt(index);
    const requestId = this.nextRequestId++;
    const reply = (await this.send(slot, requestId, { type: ThreadCommand.Inspect, requestId }, [], 0)) as InspectedReply;
    return { versionIds: reply.versionIds, loads: reply.loads };
  }

  /** Stops thread `index` abruptly, as a crash would: its requests fail and a new thread takes its place. */
  async terminateThread(index: number): Promise<void> {
    await this.slots[index]?.worker.terminate();
  }

  /** Stops every thread; requests still running fail with PREDICTION_UNAVAILABLE. A second call returns the first promise. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.slots.map((slot) => slot?.worker.terminate())).then(() => undefined);
    return this.closing;
  }

  private leastBusy(version: PoolVersion): Slot {
    let best: Slot | null = null;
    let bestCost = Infinity;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slotAt(i);
      const cost = slot.pendingWork + (slot.held.has(version.id) ? 0 : version.loadWork);
      if (cost < bestCost) {
        best = slot;
        bestCost = cost;
      }
    }
    return best!;
  }

  private slotAt(index: number): Slot {
    if (this.closing) throw predictionUnavailable('the api is shutting down; retry on another instance');
    return (this.slots[index] ??= this.spawn(index));
  }

  private spawn(index: number): Slot {
    if (!existsSync(this.file)) {
      throw predictionUnavailable(`the prediction thread entry ${this.file} is not built; run \`npx tsc -b\``);
    }
    const worker = new Worker(this.file, { execArgv: threadExecArgv(), workerData: { niceness: this.options.niceness ?? 10 } });
    // An idle thread must not keep the process alive; one with requests does (see send and settle).
    worker.unref();
    const drop = (versionId: string) => worker.postMessage({ type: ThreadCommand.Drop, versionId } satisfies ToThread);
    const slot: Slot = { worker, threadId: worker.threadId, ready: false, error: null, pending: new Map(), pendingWork: 0, held: new LruCache<true>(this.options.threadCacheBytes, drop) };
    worker.on('message', (reply: FromThread) => this.receive(slot, reply));
    worker.on('error', (error) => {
      slot.error = error;
    });
    // A reply that cannot be read would leave its request waiting forever: end the thread, which fails them all.
    worker.on('messageerror', (error) => {
      slot.error = error;
      void worker.terminate();
    });
    worker.on('exit', (code) => this.exited(index, slot, code));
    return slot;
  }

  /** Posts a request and waits for its reply; a message that cannot be posted (not cloneable) throws here, unsent. */
  private send(slot: Slot, requestId: number, message: ToThread, transfer: ArrayBuffer[], work: number): Promise<FromThread> {
    try {
      slot.worker.postMessage(message, transfer);
    } catch (error) {
      return Promise.reject(new AppError(500, 'PREDICTION_NOT_SENT', `the request could not be sent to a prediction thread: ${(error as Error).message}`));
    }
    // Registered after posting is soon enough: a reply is delivered in a later turn of the event loop.
    return new Promise<FromThread>((resolve, reject) => {
      slot.pending.set(requestId, { resolve, reject, work });
      slot.pendingWork += work;
      if (slot.pending.size === 1) slot.worker.ref();
    });
  }


  /** Forgets a request; returns it (or undefined when it was already settled). */
  private settle(slot: Slot, requestId: number): Pending | undefined {
    const pending = slot.pending.get(requestId);
    if (!pending) return undefined;
    slot.pending.delete(requestId);
    slot.pendingWork -= pending.work;
    if (slot.pending.size === 0) {
      slot.pendingWork = 0;
      slot.worker.unref();
    }
    return pending;
  }

  private receive(slot: Slot, reply: FromThread): void {
    if (reply.type === ThreadReply.Ready) {
      slot.ready = true;
      return;
    }
    const pending = this.settle(slot, reply.requestId);
    if (!pending) return;
    if (reply.type === ThreadReply.Failed) {
      pending.reject(new AppError(500, reply.error.code, `prediction failed in thread ${slot.threadId}: ${reply.error.message}`));
    } else {
      pending.resolve(reply);
    }
  }

  private exited(index: number, slot: Slot, code: number): void {
    if (this.slots[index] === slot) this.slots[index] = null;
    const reason = this.closing
      ? 'the api is shutting down; retry on another instance'
      : `prediction thread ${slot.threadId} stopped (${slot.error ? slot.error.message : `exit code ${code}`}) while running this request; retry it`;
    for (const requestId of [...slot.pending.keys()]) this.settle(slot, requestId)?.reject(predictionUnavailable(reason));
    // A thread that had started is replaced at once; one that never did (a start-up error) is retried on the next request.
    if (!this.closing && slot.ready && this.slots[index] === null) {
      try {
        this.slots[index] = this.spawn(index);
      } catch {
        // Left empty: the next request that needs the slot tries again and reports why it cannot.
      }
    }
  }
}
