import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FromTrainer, type StartMessage, StopSignal, type ToTrainer } from './trainer-protocol.js';

/** The package root (apps/worker), found from this file whether it runs from src/ (tests) or dist/ (production). */
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The built trainer thread. Always the JavaScript in dist/, also when the worker itself runs from sources under
 * vitest: a worker thread is plain Node, which cannot load TypeScript.
 */
export const TRAINER_SCRIPT = path.join(packageRoot, 'dist', 'trainer-thread.js');

/** What the trainer thread reports, plus its end: an `exit` that comes before `done` or `failed` is a crash. */
export type TrainerEvent = FromTrainer | { type: 'exit'; code: number } | { type: 'error'; error: Error };

/**
 * The main thread's side of one trainer thread: starts it with transferred arrays, yields its messages in order,
 * acknowledges epochs, and stops it through the shared stop word.
 */
export class TrainerHandle implements AsyncIterable<TrainerEvent> {
  private readonly worker: Worker;
  private readonly stopWord: Int32Array;
  private readonly queue: TrainerEvent[] = [];
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(start: Omit<StartMessage, 'type' | 'control'>, transfer: ArrayBuffer[], script: string = TRAINER_SCRIPT) {
    if (!existsSync(script)) throw new Error(`trainer thread ${script} is missing: build the workspace first (npx tsc -b)`);
    const control = new SharedArrayBuffer(4);
    this.stopWord = new Int32Array(control);
    // execArgv [] rather than the parent's: under vitest the parent resolves workspace packages to TypeScript sources
    // (--conditions development), which plain Node in the thread cannot run; the thread uses the built packages.
    this.worker = new Worker(script, { execArgv: [] });
    this.worker.on('message', (message: FromTrainer) => this.push(message));
    this.worker.on('error', (error) => this.push({ type: 'error', error }));
    this.worker.on('exit', (code) => {
      this.push({ type: 'exit', code });
      this.ended = true;
      this.wake?.();
    });
    const message: ToTrainer = { ...start, type: 'start', control };
    this.worker.postMessage(message, transfer);
  }

  /** Asks the trainer to stop at the end of the current batch (cancel wins over shutdown). */
  stop(signal: typeof StopSignal.cancel | typeof StopSignal.shutdown): void {
    if (signal === StopSignal.cancel || Atomics.load(this.stopWord, 0) === StopSignal.none) Atomics.store(this.stopWord, 0, signal);
  }

  /** Why the trainer was asked to stop, if it was. */
  get stopSignal(): StopSignal {
    return Atomics.load(this.stopWord, 0) as StopSignal;
  }

  /** Lets the trainer go on after an epoch (its records and checkpoint are committed). */
  ack(epoch: number): void {
    if (!this.ended) this.worker.postMessage({ type: 'ack', epoch } satisfies ToTrainer);
  }

  /** Whether a later batch report is already waiting (the current one may then be skipped). */
  hasNewerBatch(): boolean {
    return this.queue.some((event) => event.type === 'batch');
  }

  /** Ends the thread now (a fenced attempt, a shutdown past its deadline, or a finished run). */
  async terminate(): Promise<void> {
    if (!this.ended) await this.worker.terminate();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TrainerEvent> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  private push(event: TrainerEvent): void {
    this.queue.push(event);
    this.wake?.();
  }
}
