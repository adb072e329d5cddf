import { describe, expect, it } from 'vitest';
import { SplitBalance } from './split-balance.js';
import { partitionByShares } from './split-specs.js';

describe('SplitBalance', () => {
  it('splits evenly (no shares) until every participant has been measured on the op', () => {
    const balance = new SplitBalance(2);
    expect(balance.shares('gemm:256')).toBeUndefined();
    balance.record('gemm:256', 0, 128, 1.0);
    expect(balance.shares('gemm:256')).toBeUndefined();
    balance.record('gemm:256', 1, 128, 1.0);
    expect(Array.from(balance.shares('gemm:256')!)).toEqual([0.5, 0.5]);
    // Another op has its own speeds.
    expect(balance.shares('gemm:784')).toBeUndefined();
  });

  it('gives the faster participant the larger share, moving a quarter of the way to each new measurement', () => {
    const balance = new SplitBalance(2);
    balance.record('op', 0, 100, 1.0);
    balance.record('op', 1, 100, 1.0);
    // The worker now takes 1.25 ms for 100 units: its speed moves from 100 to 100 + 0.25 · (80 − 100) = 95 units/ms.
    balance.record('op', 0, 100, 1.0);
    balance.record('op', 1, 100, 1.25);
    const [caller, worker] = balance.shares('op')!;
    expect(caller).toBeCloseTo(100 / 195, 12);
    expect(worker).toBeCloseTo(95 / 195, 12);
    // Repeated, the shares approach the speeds' ratio 100 : 80.
    for (let i = 0; i < 60; i++) {
      balance.record('op', 0, 100, 1.0);
      balance.record('op', 1, 100, 1.25);
    }
    expect(balance.shares('op')![0]).toBeCloseTo(100 / 180, 6);
  });

  it('never moves a share further than 2× from an even one, and ignores parts too short to time', () => {
    const balance = new SplitBalance(3);
    for (let i = 0; i < 20; i++) {
      balance.record('op', 0, 100, 0.1);
      balance.record('op', 1, 100, 10);
      balance.record('op', 2, 100, 1);
      balance.record('op', 2, 100, 0.001);
    }
    const shares = balance.shares('op')!;
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Speeds 1000, 10 and 100 units/ms (the 0.001 ms parts ignored), mean 370: bounded to 740, 185 and 185.
    expect(shares[0]).toBeCloseTo(740 / 1110, 6);
    expect(shares[1]).toBeCloseTo(185 / 1110, 6);
    expect(shares[2]).toBeCloseTo(185 / 1110, 6);
  });

  it('rejects a participant count that is not a positive integer', () => {
    expect(() => new SplitBalance(0)).toThrow(/participants = 0: expected a positive integer/);
  });
});

describe('partitionByShares', () => {
  it('cuts contiguous aligned parts in proportion to the shares, the last ending at the range end', () => {
    expect(partitionByShares(0, 256, [0.5, 0.5], 4)).toEqual([[0, 128], [128, 256]]);
    expect(partitionByShares(0, 256, [0.56, 0.44], 4)).toEqual([[0, 144], [144, 256]]);
    // 51 units of 4 (the last one partial): 0.3 · 51 = 15.3 → 15 units, 0.8 · 51 = 40.8 → 41.
    expect(partitionByShares(0, 203, [0.3, 0.5, 0.2], 4)).toEqual([[0, 60], [60, 164], [164, 203]]);
    expect(partitionByShares(10, 20, [0.25, 0.75], 1)).toEqual([[10, 13], [13, 20]]);
  });

  it('may leave a part empty when its share rounds to no unit', () => {
    expect(partitionByShares(0, 4, [0.9, 0.1], 4)).toEqual([[0, 4], [4, 4]]);
    expect(partitionByShares(0, 0, [0.5, 0.5], 4)).toEqual([[0, 0], [0, 0]]);
  });
});
