import { describe, expect, it } from 'vitest';
import { DatasetError } from '../core/dataset-error.js';
import { parseCsvDataset, type CsvDatasetOptions } from './parse-csv.js';
import { onePiece, randomPieces, rejection } from '../testing/sources.js';

const header = 'px0,px1,px2,px3,label';

/** Parses `csv` in one piece and in random pieces; both must fail the same way. Returns the error. */
async function failure(csv: string, options: CsvDatasetOptions = {}): Promise<DatasetError> {
  const whole = await rejection(parseCsvDataset(onePiece(csv), options, async () => {}));
  const split = await rejection(parseCsvDataset(randomPieces(csv, 9, 1, 7), options, async () => {}));
  expect(whole).toBeInstanceOf(DatasetError);
  expect(split.message).toBe(whole.message);
  return whole as unknown as DatasetError;
}

function rows(n: number, row = '1,2,3,4,0'): string {
  return Array.from({ length: n }, () => row).join('\n');
}

describe('parseCsvDataset: invalid values name the row, line, column and what was received', () => {
  const cases: [string, string, string][] = [
    ['NaN', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received "NaN"'],
    ['Infinity', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received "Infinity"'],
    ['-inf', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received "-inf"'],
    ['', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received an empty cell'],
    ['  ', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received an empty cell'],
    ['1e400', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received "1e400" (it overflows to Infinity)'],
    ['3.5e38', 'INVALID_VALUE', 'row 17 (line 18), column "px3": expected a finite number, received "3.5e38" '
      + '(it overflows float32, whose largest value is 3.4028234663852886e+38)'],
    ['abc', 'UNSUPPORTED', 'row 17 (line 18), column "px3": expected a finite number, received "abc"; categorical (text) features '
      + 'are not supported: encode the column as numbers, or leave it out with featureColumns'],
    ['0x10', 'UNSUPPORTED', 'row 17 (line 18), column "px3"'],
    ['1,5e2', 'RAGGED', 'row 17 (line 18) has 6 cells; the header has 5 columns'],
  ];
  for (const [cell, code, message] of cases) {
    it(`refuses ${JSON.stringify(cell)} in a feature column`, async () => {
      const csv = `${header}\n${rows(16)}\n1,2,3,${cell},0\n${rows(3)}\n`;
      const error = await failure(csv);
      expect(error.code).toBe(code);
      expect(error.message.startsWith(message)).toBe(true);
      if (code !== 'RAGGED') expect(error.column).toBe('px3');
      expect(error.row).toBe(17);
      expect(error.details.line).toBe(18);
      expect(error.statusCode).toBe(422);
    });
  }

  it('counts physical lines when quoted cells span lines', async () => {
    const csv = `note,a,label\n"two\nlines",1,0\n"x",NaN,0\n`;
    const error = await failure(csv, { featureColumns: ['a'] });
    expect(error.message).toBe('row 2 (line 4), column "a": expected a finite number, received "NaN"');
  });

  it('refuses non-finite or empty labels', async () => {
    expect((await failure(`${header}\n1,2,3,4,NaN\n`)).message)
      .toBe('row 1 (line 2), column "label": expected a finite number or a class name, received "NaN"');
    expect((await failure(`${header}\n1,2,3,4,0\n1,2,3,4,\n`)).message)
      .toBe('row 2 (line 3), column "label": expected a finite number or a class name, received an empty cell');
    expect((await failure(`${header}\n1,2,3,4,1e999\n`)).message)
      .toBe('row 1 (line 2), column "label": expected a finite number or a class name, received "1e999" (it overflows to Infinity)');
  });

  it('refuses string labels when there are several label columns', async () => {
    const error = await failure('a,b,c\n1,2,3\n4,cat,6\n', { labelColumns: ['b', 'c'] });
    expect(error.code).toBe('INVALID_LABEL');
    expect(error.message).toBe('row 2 (line 3), column "b": expected a finite number, received "cat"; string class labels need exactly one label column (this upload has 2)');
  });
});

describe('parseCsvDataset: structure', () => {
  it('refuses ragged rows: too few and too many cells', async () => {
    const short = await failure(`${header}\n${rows(4)}\n1,2,3,4\n`);
    expect(short.code).toBe('RAGGED');
    expect(short.message).toBe('row 5 (line 6) has 4 cells; the header has 5 columns');
    const long = await failure(`${header}\n1,2,3,4,5,6\n`);
    expect(long.message).toBe('row 1 (line 2) has 6 cells; the header has 5 columns');
    const quoted = await failure(`${header}\n"1",2,3,4\n`);
    expect(quoted.message).toBe('row 1 (line 2) has 4 cells; the header has 5 columns');
  });

  it('reports the 63-cell row of a 65-column file', async () => {
    const wide = `${Array.from({ length: 64 }, (_, i) => `px${i}`).join(',')},label`;
    const good = Array.from({ length: 65 }, () => '1').join(',');
    const bad = Array.from({ length: 63 }, () => '1').join(',');
    const error = await failure(`${wide}\n${[good, good, good, good, bad, good].join('\n')}\n`);
    expect(error.message).toBe('row 5 (line 6) has 63 cells; the header has 65 columns');
  });

  it('refuses an empty line followed by more rows, and ignores trailing empty lines', async () => {
    const error = await failure(`${header}\n${rows(2)}\n\n${rows(1)}\n`);
    expect(error.code).toBe('RAGGED');
    expect(error.message).toBe('row 3 (line 4) is empty; the header has 5 columns');
    await expect(parseCsvDataset(onePiece(`${header}\n${rows(2)}\n\n\r\n\n`), {}, async () => {})).resolves.toMatchObject({ rows: 2 });
  });

  it('refuses empty uploads and header-only uploads', async () => {
    const empty = await failure('');
    expect(empty.code).toBe('EMPTY_DATASET');
    expect(empty.message).toBe('the upload is empty; expected a CSV header row and data rows');
    const headerOnly = await failure(`${header}\n`);
    expect(headerOnly.code).toBe('EMPTY_DATASET');
    expect(headerOnly.message).toBe('the CSV has a header but no data rows');
    expect((await failure(`\n${header}\n`)).message).toBe('line 1 is empty; expected a header row naming the columns');
  });

  it('requires unique, non-empty header names', async () => {
    const dup = await failure('a,b,a\n1,2,3\n');
    expect(dup.code).toBe('MALFORMED_CSV');
    expect(dup.message).toBe('the header names column "a" twice (columns 1 and 3); names must be unique');
    const unnamed = await failure(',a,b\n0,1,2\n');
    expect(unnamed.message).toBe('column 1 of the header has no name; every column needs a unique name (a pandas index column? write the CSV with index=False)');
  });

  it('refuses bad quoting', async () => {
    expect((await failure('a,b\n"1,2\n')).message).toBe('row 1 (line 2): a quoted field (cell 1) is not closed');
    expect((await failure('a,b\n"1"x,2\n')).message)
      .toBe('row 1 (line 2): unexpected text after the closing quote of cell 1; expected a comma or the end of the row');
    expect((await failure('a,b\n1,2"3\n')).message)
      .toBe('row 1 (line 2): cell 2 has a quote inside an unquoted value; quote the whole cell and double inner quotes ("a ""b""")');
  });

  it('enforces maxRows', async () => {
    const error = await failure(`${header}\n${rows(11)}\n`, { maxRows: 10 });
    expect(error.code).toBe('TOO_MANY_ROWS');
    expect(error.message).toBe('the dataset has more than 10 rows, the limit');
    expect(error.row).toBe(11);
  });
});

describe('parseCsvDataset: column options', () => {
  it('lists the available columns when a name is unknown', async () => {
    const label = await failure(`${header}\n${rows(2)}\n`, { labelColumns: ['species'] });
    expect(label.code).toBe('UNKNOWN_COLUMN');
    expect(label.message).toBe('unknown label column "species"; available columns: "px0", "px1", "px2", "px3", "label"');
    const feature = await failure(`${header}\n${rows(2)}\n`, { featureColumns: ['px0', 'px9'] });
    expect(feature.message).toBe('unknown feature column "px9"; available columns: "px0", "px1", "px2", "px3", "label"');
    expect(feature.column).toBe('px9');
  });

  it('refuses a column that is both a feature and a label, duplicates and empty lists', async () => {
    expect((await failure(`${header}\n${rows(2)}\n`, { featureColumns: ['px0', 'label'] })).message)
      .toBe('column "label" is both a feature and a label (the label defaults to the last column; set labelColumns)');
    expect((await failure(`${header}\n${rows(2)}\n`, { labelColumns: ['px0'], featureColumns: ['px0'] })).message)
      .toBe('column "px0" is both a feature and a label');
    expect((await failure(`${header}\n${rows(2)}\n`, { featureColumns: ['px0', 'px0'] })).message).toBe('featureColumns lists "px0" twice');
    expect((await failure(`${header}\n${rows(2)}\n`, { labelColumns: [] })).message)
      .toBe('labelColumns must list at least one column name; available columns: "px0", "px1", "px2", "px3", "label"');
    expect((await failure('label\n1\n')).message).toBe('no feature columns: the header has only the label column(s) "label"');
  });

  it('does not parse columns left out of featureColumns (they may hold text)', async () => {
    const summary = await parseCsvDataset(onePiece('id,name,a,label\n1,"Smith, J",2,0\n2,Doe,3,1\n'), { featureColumns: ['a'] }, async () => {});
    expect(summary.featureNames).toEqual(['a']);
    expect(summary.rows).toBe(2);
  });

  it('validates chunk options', async () => {
    const error = await rejection(parseCsvDataset(onePiece(`${header}\n${rows(2)}\n`), { chunkRows: 0 }, async () => {}));
    expect(error.message).toBe('chunkRows must be a positive integer, received 0');
  });
});
