import { readFileSync } from 'node:fs';

/*
 * Whether the calling thread waits for a CPU: the share of wall time it spent runnable but not running, from Linux's
 * per-thread scheduler statistics (/proc/thread-self/schedstat: time on a CPU, time waiting on a run queue, in ns).
 * The pool polls instead of sleeping only while this share is small: on cores shared with other busy processes a
 * polling worker takes CPU from the thread that posts its ops (W1 batch 256 trained at 0.70× of one thread with
 * polling against 0.95× without, with one other busy process on 2 cores).
 */

/** Nanoseconds this thread has waited on a run queue so far; undefined where the kernel does not say. */
export type RunQueueClock = () => number | undefined;

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** This thread's run-queue wait from /proc (open, read, close: ~15 µs); undefined where the file does not exist. */
export const procRunQueueClock: RunQueueClock = () => {
  try {
    const wait = Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[1]);
    return Number.isFinite(wait) ? wait : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Samples a thread's run-queue wait once per `windowMs` and says whether, over the last window, it waited more than
 * `share` of the time. A window that did keeps that answer for `holdMs`, then a new window starts: with polling off,
 * the wait a busy neighbour causes can fall under the share, and polling switched back on every other window would
 * cost half the time it costs always on. Before a first full window, or where the clock says nothing, it reports no
 * waiting.
 */
export class CpuWait {
  /** performance.now() before which `check` answers without reading the clock. */
  private next = Number.NEGATIVE_INFINITY;
  /** The open window's start and the wait read then; undefined when no window is open. */
  private window: { since: number; waited: number } | undefined;
  private waiting = false;

  constructor(
    private readonly clock: RunQueueClock,
    private readonly windowMs: number,
    private readonly share: number,
    private readonly holdMs: number,
  ) {}

  /** Whether the thread waited for a CPU in the last window (or within a hold); `now` is performance.now(). */
  check(now: number): boolean {
    if (now < this.next) return this.waiting;
    const waited = this.clock();
    if (waited === undefined) {
      this.window = undefined;
      this.next = now + this.windowMs;
      return (this.waiting = false);
    }
    if (this.window) {
      this.waiting = (waited - this.window.waited) / 1e6 > this.share * (now - this.window.since);
      if (this.waiting) {
        this.window = undefined;
        this.next = now + this.holdMs;
        return true;
      }
    }
    this.window = { since: now, waited };
    this.next = now + this.windowMs;
    return this.waiting;
  }
}
