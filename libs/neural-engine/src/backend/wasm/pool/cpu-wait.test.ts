import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CpuWait, procRunQueueClock } from './cpu-wait.js';

/*
 * CpuWait's windows on a scripted clock, and the real /proc clock: it counts this thread's run-queue wait, which grows
 * when more busy processes than cores share the machine.
 */

/** A run-queue clock that returns the given waits (ns), one per read, and counts reads. */
function scripted(waits: (number | undefined)[]): { clock: () => number | undefined; reads: () => number } {
  let i = 0;
  return { clock: () => waits[i++], reads: () => i };
}

describe('CpuWait', () => {
  it('reports waiting once the wait in a full window exceeds the share, holds it, then measures a new window', () => {
    // Windows of 10 ms, share 5 % (0.5 ms of wait per window is the line), hold 100 ms.
    const { clock, reads } = scripted([0, 400_000, 1_000_000, 5_000_000, 5_100_000, 5_200_000]);
    const wait = new CpuWait(clock, 10, 0.05, 100);
    expect(wait.check(0)).toBe(false); // first sample: no window yet
    expect(wait.check(5)).toBe(false); // inside the window: no read
    expect(reads()).toBe(1);
    expect(wait.check(10)).toBe(false); // 0.4 ms waited in 10 ms: 4 %
    expect(wait.check(20)).toBe(true); // 0.6 ms in 10 ms: 6 %
    expect(wait.check(119)).toBe(true); // held, whatever happens meanwhile
    expect(reads()).toBe(3);
    expect(wait.check(120)).toBe(true); // the hold ends: a new window opens; the answer stands until it closes
    expect(wait.check(130)).toBe(false); // 0.1 ms in 10 ms: 1 % (the 4 ms waited before the window do not count)
    expect(reads()).toBe(5);
  });

  it('reports no waiting where the clock says nothing (no /proc)', () => {
    const wait = new CpuWait(() => undefined, 10, 0.05, 100);
    expect(wait.check(0)).toBe(false);
    expect(wait.check(100)).toBe(false);
  });

  it('reads a growing wait from /proc on Linux, and nothing elsewhere', () => {
    const first = procRunQueueClock();
    if (process.platform !== 'linux') {
      expect(first).toBeUndefined();
      return;
    }
    expect(first).toBeTypeOf('number');
    expect(procRunQueueClock()!).toBeGreaterThanOrEqual(first!);
  });

  it('sees this thread wait while more busy processes than cores run (on Linux; elsewhere never)', async () => {
    const busy: ChildProcess[] = [];
    try {
      for (let i = 0; i <= availableParallelism(); i++) busy.push(spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      // This thread busy too, for 0.5 s: with cores + 2 runnable threads on the cores, it waits a third of the time or
      // more; 25 % is the pool's line.
      const wait = new CpuWait(procRunQueueClock, 100, 0.25, 1000);
      const start = performance.now();
      let waited = false;
      for (let now = start; now - start < 500; now = performance.now()) waited = wait.check(now) || waited;
      expect(waited).toBe(process.platform === 'linux');
    } finally {
      for (const child of busy) child.kill('SIGKILL');
    }
  });
});
