import { describe, expect, it } from 'vitest';
import { parseDecimal, parseJsonNumber } from './parse-number.js';
import { seededRandom } from '../testing/sources.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Random decimal text: signs, leading zeros, long mantissas, fractions, exponents. */
function randomDecimal(random: () => number): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  let s = random() < 0.3 ? '-' : '';
  s += digits(1 + Math.floor(random() * (random() < 0.2 ? 25 : 8)));
  if (random() < 0.6) s += `.${digits(1 + Math.floor(random() * (random() < 0.2 ? 25 : 6)))}`;
  if (random() < 0.3) s += `e${random() < 0.5 ? '-' : ''}${Math.floor(random() * (random() < 0.1 ? 400 : 40))}`;
  return s;
}

describe('parseDecimal', () => {
  it('agrees with Number() on 100k random decimals, bit for bit', () => {
    const random = seededRandom(12);
    for (let i = 0; i < 100_000; i++) {
      const s = randomDecimal(random);
      expect(Object.is(parseDecimal(s, 0, s.length), Number(s)), s).toBe(true);
    }
  });

  it('accepts the CSV spellings Number() accepts, within a range of a longer string', () => {
    const cases = ['+1.5', '.5', '5.', ' 42 ', '\t-7', '1E3', '1e+3', '-0', '00012'];
    for (const c of cases) expect(Object.is(parseDecimal(`,${c},`, 1, c.length + 1), Number(c)), c).toBe(true);
  });

  it('gives NaN for text that is not a decimal number, and ±Infinity on overflow', () => {
    for (const s of ['', ' ', '.', '-', '+', 'e5', '1e', '1e+', 'NaN', 'inf', 'Infinity', '0x10', '1,5', '1.2.3', '1 2', '--1', 'abc', '1_000']) {
      expect(parseDecimal(s, 0, s.length), s).toBeNaN();
    }
    expect(parseDecimal('1e400', 0, 5)).toBe(Infinity);
    expect(parseDecimal('-1e400', 0, 6)).toBe(-Infinity);
  });
});

describe('parseJsonNumber', () => {
  it('agrees with JSON.parse on random JSON numbers', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 50_000; i++) {
      const s = randomDecimal(random).replace(/^(-?)0+(\d)/, '$1$2');
      expect(Object.is(parseJsonNumber(bytes(s), 0, s.length), JSON.parse(s) as number), s).toBe(true);
    }
  });

  it('follows the JSON grammar strictly', () => {
    for (const s of ['01', '-01', '+1', '.5', '1.', '1e', '-', '1.e5', '0x1']) expect(parseJsonNumber(bytes(s), 0, s.length), s).toBeNaN();
    for (const s of ['0', '-0', '0.5', '10', '1e5', '1E-5', '-2.5e+3']) expect(parseJsonNumber(bytes(s), 0, s.length), s).toBe(Number(s));
  });
});
