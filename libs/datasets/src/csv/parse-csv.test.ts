import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from './parse-csv.js';
import { collect, onePiece, randomPieces } from '../testing/sources.js';

const datasets = fileURLToPath(new URL('../../../../test/datasets/', import.meta.url));
const digits = readFileSync(`${datasets}digits_train.csv`);
const iris = readFileSync(`${datasets}iris_train.csv`);

/** The obvious parse of a simple numeric CSV: split lines and commas, Number() every cell. */
function naiveParse(text: string): { header: string[]; rows: number[][] } {
  const lines = text.trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

/** Two-pass population statistics of one column. */
function twoPass(values: number[]): { min: number; max: number; mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { min: Math.min(...values), max: Math.max(...values), mean, std: Math.sqrt(variance) };
}

describe('parseCsvDataset on the real datasets', () => {
  it('parses digits (1438 rows, 64 pixels, label 0..9) identically in one piece and in random pieces of 1..97 bytes', async () => {
    const whole = await collect((on) => parseCsvDataset(onePiece(digits), {}, on));
    const pieces = await collect((on) => parseCsvDataset(randomPieces(digits, 7), {}, on));
    expect(pieces.summary).toEqual(whole.summary);
    expect(pieces.x).toEqual(whole.x);
    expect(pieces.y).toEqual(whole.y);
    expect(pieces.chunks.map((c) => [c.part, c.index, c.rows])).toEqual(whole.chunks.map((c) => [c.part, c.index, c.rows]));

    const s = whole.summary;
    expect(s.rows).toBe(1438);
    expect(s.featureShape).toEqual([64]);
    expect(s.labelShape).toEqual([1]);
    expect(s.featureNames).toEqual(Array.from({ length: 64 }, (_, i) => `px${i}`));
    expect(s.labelNames).toEqual(['label']);
    expect(s.classNames).toBeNull();
    expect(Object.keys(s.classCounts!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Object.values(s.classCounts!).reduce((a, b) => a + b, 0)).toBe(1438);

    const naive = naiveParse(digits.toString('utf8'));
    expect(Array.from(whole.x)).toEqual(naive.rows.flatMap((r) => r.slice(0, 64)));
    expect(Array.from(whole.y)).toEqual(naive.rows.map((r) => r[64]));
  });

  it('computes per-column statistics that match a naive two-pass computation', async () => {
    const { summary } = await collect((on) => parseCsvDataset(onePiece(digits), { chunkRows: 100 }, on));
    const naive = naiveParse(digits.toString('utf8'));
    for (let j = 0; j < 65; j++) {
      const expected = twoPass(naive.rows.map((r) => r[j]!));
      const stats = j < 64 ? summary.featureStats[j]! : summary.labelStats[0]!;
      expect(stats.name).toBe(naive.header[j]);
      expect(stats.count).toBe(1438);
      expect(stats.min).toBe(expected.min);
      expect(stats.max).toBe(expected.max);
      expect(stats.mean).toBeCloseTo(expected.mean, 10);
      expect(stats.std).toBeCloseTo(expected.std, 10);
    }
    const counts = new Map<number, number>();
    for (const r of naive.rows) counts.set(r[64]!, (counts.get(r[64]!) ?? 0) + 1);
    expect(summary.classCounts).toEqual(Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])));
  });

  it('keeps decimal statistics readable: min and max are the shortest decimals of the stored float32 values', async () => {
    const { summary } = await collect((on) => parseCsvDataset(randomPieces(iris, 3), {}, on));
    const naive = naiveParse(iris.toString('utf8'));
    expect(summary.rows).toBe(120);
    expect(summary.featureStats.map((s) => [s.name, s.min, s.max])).toEqual(
      naive.header.slice(0, 4).map((name, j) => [name, Math.min(...naive.rows.map((r) => r[j]!)), Math.max(...naive.rows.map((r) => r[j]!))]),
    );
    const sepal = twoPass(naive.rows.map((r) => Math.fround(r[0]!)));
    expect(summary.featureStats[0]!.mean).toBeCloseTo(sepal.mean, 12);
    expect(summary.featureStats[0]!.std).toBeCloseTo(sepal.std, 12);
  });

  it('cuts x into chunks of chunkRows and emits y afterwards in chunks covering the same rows', async () => {
    const { chunks, summary } = await collect((on) => parseCsvDataset(randomPieces(digits, 11), { chunkRows: 500 }, on));
    expect(chunks.map((c) => `${c.part}${c.index}:${c.rows}`)).toEqual(['x0:500', 'x1:500', 'x2:438', 'y0:500', 'y1:500', 'y2:438']);
    for (const c of chunks) expect(c.data.length).toBe(c.rows * (c.part === 'x' ? 64 : 1));
    expect(summary.rows).toBe(1438);
  });

  it('caps a chunk at chunkBytes: 64 float32 columns in 10 KiB make 40-row chunks', async () => {
    const { chunks } = await collect((on) => parseCsvDataset(onePiece(digits), { chunkBytes: 10 * 1024 }, on));
    const x = chunks.filter((c) => c.part === 'x');
    expect(x[0]!.rows).toBe(40);
    expect(x.length).toBe(Math.ceil(1438 / 40));
  });

  it('selects feature columns (in the order given) and label columns by name', async () => {
    const { summary, x, y } = await collect((on) =>
      parseCsvDataset(onePiece(iris), { featureColumns: ['petal_width_cm', 'sepal_length_cm'], labelColumns: ['label', 'petal_length_cm'] }, on));
    const naive = naiveParse(iris.toString('utf8'));
    expect(summary.featureNames).toEqual(['petal_width_cm', 'sepal_length_cm']);
    expect(summary.labelNames).toEqual(['label', 'petal_length_cm']);
    expect(summary.featureShape).toEqual([2]);
    expect(summary.labelShape).toEqual([2]);
    expect(summary.classCounts).toBeNull(); // two label columns
    expect(Array.from(x.subarray(0, 2))).toEqual([2, 7.7].map(Math.fround));
    expect(Array.from(y.subarray(0, 2))).toEqual([naive.rows[0]![4], Math.fround(naive.rows[0]![2]!)]);
  });
});

describe('parseCsvDataset: string classes', () => {
  const species = 'sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n6.4,4.5,versicolor\n';

  it('sorts class names, stores indices into them, and counts them', async () => {
    const { summary, y } = await collect((on) => parseCsvDataset(randomPieces(species, 5, 1, 5), {}, on));
    expect(summary.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(y)).toEqual([0, 1, 2, 0, 1]);
    expect(summary.classCounts).toEqual({ setosa: 2, versicolor: 2, virginica: 1 });
    expect(summary.labelStats[0]).toMatchObject({ name: 'species', min: 0, max: 2, count: 5 });
  });

  it('turns a column into classes named as written when text follows numbers (10 sorts before 9)', async () => {
    const csv = 'a,label\n1,9\n2,10\n3,cat\n4,9\n5,09\n';
    const { summary, y } = await collect((on) => parseCsvDataset(onePiece(csv), {}, on));
    expect(summary.classNames).toEqual(['09', '10', '9', 'cat']);
    expect(Array.from(y)).toEqual([2, 1, 3, 2, 0]);
    expect(summary.classCounts).toEqual({ '09': 1, 10: 1, 9: 2, cat: 1 });
  });

  it('keeps numeric labels numeric: classNames null, classCounts by integer, non-integer labels uncounted', async () => {
    const ints = await collect((on) => parseCsvDataset(onePiece('a,label\n1,2\n2,0\n3,2\n4,-1\n'), {}, on));
    expect(ints.summary.classNames).toBeNull();
    expect(ints.summary.classCounts).toEqual({ '-1': 1, 0: 1, 2: 2 });
    const reals = await collect((on) => parseCsvDataset(onePiece('a,price\n1,2.5\n2,0\n'), {}, on));
    expect(reals.summary.classCounts).toBeNull();
    expect(Array.from(reals.y)).toEqual([2.5, 0]);
  });
});

describe('parseCsvDataset: CSV syntax', () => {
  it('handles RFC 4180 quoting, CRLF, a BOM, a multi-byte header and trailing empty lines, split anywhere', async () => {
    const csv = '\uFEFF"größe, cm","say ""hi""",note,"klasse"\r\n"1.5",2,"a,b\r\nc",Ünter\r\n3,-4e-1,,"Ünter"\r\n\r\n\r\n';
    const options = { featureColumns: ['größe, cm', 'say "hi"'] };
    const whole = await collect((on) => parseCsvDataset(onePiece(csv), options, on));
    expect(whole.summary.featureNames).toEqual(['größe, cm', 'say "hi"']);
    expect(whole.summary.labelNames).toEqual(['klasse']);
    expect(Array.from(whole.x)).toEqual([1.5, 2, 3, Math.fround(-0.4)]);
    expect(whole.summary.classNames).toEqual(['Ünter']);
    for (let seed = 1; seed <= 20; seed++) {
      const split = await collect((on) => parseCsvDataset(randomPieces(csv, seed, 1, 4), options, on));
      expect(split.summary).toEqual(whole.summary);
      expect(split.x).toEqual(whole.x);
    }
    // A string source with a BOM, too.
    const fromString = await collect((on) => parseCsvDataset(onePiece(csv), options, on));
    expect(fromString.summary).toEqual(whole.summary);
  });

  it('accepts a last row without a newline, spaces around numbers, and a leading +', async () => {
    const { x, y } = await collect((on) => parseCsvDataset(onePiece('a,b,c\n 1 , +2,3\n4,5,6'), {}, on));
    expect(Array.from(x)).toEqual([1, 2, 4, 5]);
    expect(Array.from(y)).toEqual([3, 6]);
  });

  it('accepts numpy\'s printed float32 maximum 3.4028235e38, which rounds to the largest float32', async () => {
    const { x } = await collect((on) => parseCsvDataset(onePiece('a,b\n3.4028235e38,0\n-3.4028234663852886e38,1\n'), {}, on));
    expect(Array.from(x)).toEqual([3.4028234663852886e38, -3.4028234663852886e38]);
  });

  it('parses long and exotic decimals exactly like Number()', async () => {
    const cells = ['0.1', '123456789012345678', '1e-30', '.5', '5.', '-0', '2.2250738585072014e-308', '1E5', '0.000001234567890123456789'];
    const csv = `${cells.map((_, i) => `c${i}`).join(',')},label\n${cells.join(',')},0\n`;
    const { x } = await collect((on) => parseCsvDataset(onePiece(csv), {}, on));
    expect(Array.from(x)).toEqual(cells.map((c) => Math.fround(Number(c))));
  });
});

describe('parseCsvDataset: a large generated upload', () => {
  it('streams 200k rows × 20 columns holding one chunk at a time', async () => {
    const rows = 200_000;
    async function* generate(): AsyncGenerator<string> {
      yield `${Array.from({ length: 19 }, (_, j) => `f${j}`).join(',')},label\n`;
      const random = (await import('../testing/sources.js')).seededRandom(42);
      for (let r = 0; r < rows; r += 1000) {
        let block = '';
        for (let i = 0; i < 1000; i++) {
          for (let j = 0; j < 19; j++) block += `${(random() * 100).toFixed(3)},`;
          block += `${(r + i) % 7}\n`;
        }
        yield block;
      }
    }
    let xChunks = 0;
    let maxValues = 0;
    let xRows = 0;
    let yRows = 0;
    const summary = await parseCsvDataset(generate(), {}, async (c) => {
      if (c.part === 'x') {
        xChunks++;
        xRows += c.rows;
        maxValues = Math.max(maxValues, c.data.length);
      } else {
        yRows += c.rows;
      }
    });
    expect(summary.rows).toBe(rows);
    expect(xRows).toBe(rows);
    expect(yRows).toBe(rows);
    expect(maxValues).toBeLessThanOrEqual(4096 * 19);
    expect(xChunks).toBe(Math.ceil(rows / 4096));
    expect(summary.classCounts).toEqual(Object.fromEntries(Array.from({ length: 7 }, (_, k) => [String(k), Math.floor(rows / 7) + (k < rows % 7 ? 1 : 0)])));
    for (const s of summary.featureStats) {
      expect(s.min).toBeGreaterThanOrEqual(0);
      expect(s.max).toBeLessThanOrEqual(100);
      expect(s.mean).toBeGreaterThan(49);
      expect(s.mean).toBeLessThan(51);
    }
  });
});
