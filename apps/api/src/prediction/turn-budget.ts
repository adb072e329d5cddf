/**
 * Numbers converted per turn of the event loop, across every request in the process. A maximum batch holds millions
 * of numbers (10,000 × 784 took 360 ms in one go); 65,536 of them take about a millisecond here.
 */
export const VALUES_PER_TURN = 65_536;

/**
 * The event loop's budget for long conversions (request bodies into Float32Arrays, outputs back into JSON arrays),
 * shared by all of them: a budget per request let 10 concurrent maximum batches each convert a slice in the same
 * turn, holding the loop 15-50 ms. Callers ask before converting a value (`take` or `wait`), and the budget is
 * renewed once per turn (a setImmediate). When it is spent, waiters get the next turns one after another, first come
 * first served, so concurrent conversions advance round-robin.
 */
export class TurnBudget {
  private spent = 0;
  private renewing = false;
  private readonly waiters: { values: number; resolve: () => void }[] = [];

  constructor(private readonly valuesPerTurn = VALUES_PER_TURN) {}

  /** Takes `values` from this turn's budget if they fit (anything fits a fresh turn) and nobody waits first. */
  take(values: number): boolean {
    if (this.waiters.length > 0 || (this.spent > 0 && this.spent + values > this.valuesPerTurn)) return false;
    this.charge(values);
    return true;
  }

  /** Resolves in a later turn, with `values` taken from that turn's budget. */
  wait(values: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ values, resolve });
      this.renewSoon();
    });
  }

  private charge(values: number): void {
    this.spent += values;
    this.renewSoon();
  }

  private renewSoon(): void {
    if (this.renewing) return;
    this.renewing = true;
    setImmediate(() => this.renew());
  }

  private renew(): void {
    this.renewing = false;
    this.spent = 0;
    const next = this.waiters.shift();
    if (!next) return;
    this.charge(next.values);
    next.resolve();
  }
}

/** The process's one budget: the event loop is shared, so is its time. */
export const eventLoopBudget = new TurnBudget();
