import { describe, expect, it } from 'vitest';
import { TurnBudget } from './turn-budget.js';

/**
 * Runs `converters` (each a list of per-row value counts) at once on one budget, as concurrent requests do, and
 * returns the values each loop turn converted, per converter. A ticker that asks for every turn (setImmediate, as the
 * budget renews) numbers the turns.
 */
async function convertAll(budget: TurnBudget, converters: number[][]): Promise<Map<number, number[]>> {
  let turn = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turn++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const perTurn = new Map<number, number[]>();
  const convert = async (rows: number[], who: number) => {
    for (const values of rows) {
      if (!budget.take(values)) await budget.wait(values);
      const counts = perTurn.get(turn) ?? converters.map(() => 0);
      counts[who]! += values;
      perTurn.set(turn, counts);
    }
  };
  await Promise.all(converters.map((rows, who) => convert(rows, who)));
  running = false;
  return perTurn;
}

describe('TurnBudget (the event loop budget shared by conversions)', () => {
  it('holds every turn to the budget across concurrent conversions, and serves them round-robin', async () => {
    const perTurn = await convertAll(new TurnBudget(2_500), [Array(20).fill(1_000), Array(20).fill(1_000), Array(20).fill(1_000)]);
    const totals = [...perTurn.values()].map((counts) => counts.reduce((a, b) => a + b, 0));
    expect(Math.max(...totals)).toBeLessThanOrEqual(2_500);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(60_000);
    // Per-request budgets would have let all three convert 2 rows in the first turns; here they take turns, so no
    // converter is ever more than one turn's share (2 rows) ahead of another.
    const done = [0, 0, 0];
    for (const counts of perTurn.values()) {
      counts.forEach((values, who) => (done[who]! += values));
      expect(Math.max(...done) - Math.min(...done)).toBeLessThanOrEqual(2 * 2_500);
    }
  });

  it('gives a row larger than the budget a turn of its own, and small work goes through without waiting', async () => {
    const perTurn = await convertAll(new TurnBudget(2_500), [[1_000, 6_000, 1_000]]);
    expect([...perTurn.values()].map((counts) => counts[0])).toEqual([1_000, 6_000, 1_000]);
    const budget = new TurnBudget(2_500);
    expect(budget.take(1_000)).toBe(true);
    expect(budget.take(1_500)).toBe(true);
    expect(budget.take(1)).toBe(false);
  });

  it('lets nobody jump the queue: while a conversion waits, newcomers wait behind it even if the turn has room', async () => {
    const budget = new TurnBudget(2_500);
    expect(budget.take(100)).toBe(true);
    const waiting = budget.wait(100);
    expect(budget.take(100)).toBe(false);
    await waiting;
    expect(budget.take(100)).toBe(true);
  });
});
