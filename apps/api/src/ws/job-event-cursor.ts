import type { JobEvent } from '@kiln/contracts';

/** Reads a job's logged events after a seq (the Postgres history), in order. */
export type HistoryReader = (jobId: string, after: number, limit: number) => Promise<JobEvent[]>;

const PAGE = 500;

/**
 * Delivers one job's events exactly once and in seq order, merging the history in Postgres with live events from
 * pub/sub. Every offer goes through one promise chain: an event already delivered is skipped; an event beyond the
 * next expected seq (history still being read, or a pub/sub message lost) first pulls the missing ones from
 * Postgres — the writer commits before it publishes, so they are there.
 */
export class JobEventCursor {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly jobId: string,
    private lastSeq: number,
    private readonly readHistory: HistoryReader,
    private readonly deliver: (event: JobEvent) => boolean,
  ) {}

  get seq(): number {
    return this.lastSeq;
  }

  /** Catches up with everything logged so far. */
  sync(): Promise<void> {
    return this.enqueue(() => this.fill(Number.POSITIVE_INFINITY));
  }

  /** A live event. */
  offer(event: JobEvent): Promise<void> {
    return this.enqueue(async () => {
      if (event.seq <= this.lastSeq) return;
      if (event.seq > this.lastSeq + 1) await this.fill(event.seq - 1);
      if (event.seq === this.lastSeq + 1) this.emit(event);
    });
  }

  close(): void {
    this.closed = true;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(task, task);
    return this.chain;
  }

  /** Delivers logged events after lastSeq up to `until`. */
  private async fill(until: number): Promise<void> {
    while (!this.closed && this.lastSeq < until) {
      const events = await this.readHistory(this.jobId, this.lastSeq, PAGE);
      for (const event of events) {
        if (event.seq > until || this.closed) return;
        this.emit(event);
      }
      if (events.length < PAGE) return;
    }
  }

  private emit(event: JobEvent): void {
    if (this.closed) return;
    if (this.deliver(event)) this.lastSeq = event.seq;
    else this.closed = true;
  }
}
