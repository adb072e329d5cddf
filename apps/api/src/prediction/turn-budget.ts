/**
 * Numbers converted between two turns handed back to the event loop. A maximum batch holds millions of numbers
 * (10,000 × 784 took 360 ms in one go); 65,536 of them take about a millisecond here.
 */
export const VALUES_PER_TURN = 65_536;

/** Counts values processed and says when a long conversion should let the event loop run (`await nextTurn()`). */
export class TurnBudget {
  private spent = 0;

  constructor(private readonly valuesPerTurn = VALUES_PER_TURN) {}

  /** True when `values` more use up the turn. */
  spend(values: number): boolean {
    this.spent += values;
    if (this.spent < this.valuesPerTurn) return false;
    this.spent = 0;
    return true;
  }
}
