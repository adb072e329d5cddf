import { describe, expect, it } from 'vitest';
import { DatasetError } from '../core/dataset-error.js';
import { parseJsonDataset } from './parse-json.js';
import { collect, onePiece, randomPieces, rejection, seededRandom } from '../testing/sources.js';

/** n samples of shape [4, 4, 1] with values from a seeded generator, labels 0..2. */
function images(n: number): { x: number[][][][]; y: number[] } {
  const random = seededRandom(3);
  const x = Array.from({ length: n }, () => Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => [Math.round(random() * 2000) / 100 - 10])));
  return { x, y: Array.from({ length: n }, (_, i) => i % 3) };
}

async function failure(json: string): Promise<DatasetError> {
  const whole = await rejection(parseJsonDataset(onePiece(json), {}, async () => {}));
  const split = await rejection(parseJsonDataset(randomPieces(json, 4, 1, 5), {}, async () => {}));
  expect(whole).toBeInstanceOf(DatasetError);
  expect(split.message).toBe(whole.message);
  return whole as unknown as DatasetError;
}

describe('parseJsonDataset', () => {
  it('reads 3-D samples ([n, 4, 4, 1]) identically in one piece and in pieces of 1..97 bytes', async () => {
    const data = images(300);
    const json = JSON.stringify(data, null, 1);
    const whole = await collect((on) => parseJsonDataset(onePiece(json), { chunkRows: 64 }, on));
    const split = await collect((on) => parseJsonDataset(randomPieces(json, 8), { chunkRows: 64 }, on));
    expect(split.summary).toEqual(whole.summary);
    expect(split.x).toEqual(whole.x);
    expect(whole.summary.rows).toBe(300);
    expect(whole.summary.featureShape).toEqual([4, 4, 1]);
    expect(whole.summary.labelShape).toEqual([1]);
    expect(whole.summary.featureNames).toBeNull();
    expect(whole.summary.featureStats).toHaveLength(16);
    expect(whole.summary.featureStats[5]!.name).toBe('x[5]');
    expect(whole.summary.classCounts).toEqual({ 0: 100, 1: 100, 2: 100 });
    expect(Array.from(whole.x)).toEqual(data.x.flat(3).map(Math.fround));
    expect(Array.from(whole.y)).toEqual(data.y);
    expect(whole.chunks.filter((c) => c.part === 'x').map((c) => c.rows)).toEqual([64, 64, 64, 64, 44]);
    const column = data.x.map((s) => s[1]![1]![0]!);
    const mean = column.reduce((a, b) => a + Math.fround(b), 0) / column.length;
    expect(whole.summary.featureStats[5]!.mean).toBeCloseTo(mean, 10);
  });

  it('accepts y first, string classes (sorted), and scalar samples', async () => {
    const { summary, x, y } = await collect((on) =>
      parseJsonDataset(onePiece('{"y": ["dog", "cat", "dog", "émeu"], "x": [1, 2.5, -3e2, 0]}'), {}, on));
    expect(summary.featureShape).toEqual([1]);
    expect(Array.from(x)).toEqual([1, 2.5, -300, 0]);
    expect(summary.classNames).toEqual(['cat', 'dog', 'émeu']);
    expect(Array.from(y)).toEqual([1, 0, 1, 2]);
    expect(summary.classCounts).toEqual({ cat: 1, dog: 2, émeu: 1 });
  });

  it('accepts nested labels (one-hot or multi-output) with their shape', async () => {
    const { summary, y } = await collect((on) => parseJsonDataset(onePiece('{"x": [[1, 2], [3, 4]], "y": [[0, 1, 0], [1, 0, 0]]}'), {}, on));
    expect(summary.labelShape).toEqual([3]);
    expect(summary.classCounts).toBeNull();
    expect(Array.from(y)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(summary.labelStats.map((s) => s.name)).toEqual(['y[0]', 'y[1]', 'y[2]']);
  });

  it('handles escapes in keys and class names, and whitespace anywhere', async () => {
    const { summary } = await collect((on) => parseJsonDataset(onePiece(' {\n "\\u0078" : [ [1] , [2] ] ,\t"y":["a\\"b", "\\u00e9"] } \n'), {}, on));
    expect(summary.classNames).toEqual(['a"b', 'é']);
  });
});

describe('parseJsonDataset: errors', () => {
  it('names the sample and path of ragged nested arrays', async () => {
    const sample = (n: number) => `[${Array.from({ length: 4 }, () => `[${Array.from({ length: n }, () => '1').join(',')}]`).join(',')}]`;
    const x = [...Array.from({ length: 12 }, () => sample(8)), `[[1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1,1],[1,1,1,1,1,1,1]]`];
    const error = await failure(`{"x": [${x.join(',')}], "y": [${x.map(() => 0).join(',')}]}`);
    expect(error.code).toBe('RAGGED');
    expect(error.message).toBe('x[12][3] has 7 values; x[0][3] had 8');
    expect(error.row).toBe(13);
    expect(error.details.path).toBe('x[12][3]');

    expect((await failure('{"x": [[1,2],[1,2,3]], "y": [0,1]}')).message).toBe('x[1] has more than 2 values; x[0] had 2');
    expect((await failure('{"x": [[[1,2],[3,4]],[[1,2],[3,4],[5,6]]], "y": [0,1]}')).message).toBe('x[1] has more than 2 elements; x[0] had 2');
    expect((await failure('{"x": [[[1,2],[3]]], "y": [0]}')).message).toBe('x[0][1] has 1 values; x[0][0] had 2');
    expect((await failure('{"x": [[1,2],[1,[2]]], "y": [0,1]}')).message).toBe('x[1][1] is an array; x[0][1] was a number');
    expect((await failure('{"x": [[[1],[2]],[[1],2]], "y": [0,1]}')).message).toBe('x[1][1] is a number; x[0][1] was an array');
    expect((await failure('{"x": [1, [2]], "y": [0,1]}')).message).toBe('x[1] is an array; x[0] was a number');
    expect((await failure('{"x": [[1], 2], "y": [0,1]}')).message).toBe('x[1] is a number; x[0] was an array');
    expect((await failure('{"x": [[]], "y": [0]}')).message).toBe('x[0] is empty; samples need at least one value at every level');
    expect((await failure('{"x": [[1], []], "y": [0, 1]}')).message).toBe('x[1] is empty; x[0] had 1');
  });

  it('refuses values that are not finite float32 numbers, naming the path', async () => {
    const bad = async (value: string) => (await failure(`{"x": [[1, 2], [3, ${value}]], "y": [0, 1]}`));
    expect((await bad('1e400')).message).toBe('x[1][1]: expected a finite number, received 1e400 (it overflows to Infinity)');
    expect((await bad('-4e38')).message).toBe('x[1][1]: expected a finite number, received -4e38 (it overflows float32, whose largest value is 3.4028234663852886e+38)');
    expect((await bad('null')).message).toBe('x[1][1]: expected a finite number, received null');
    expect((await bad('true')).code).toBe('INVALID_VALUE');
    const text = await bad('"red"');
    expect(text.code).toBe('UNSUPPORTED');
    expect(text.message).toBe('x[1][1]: expected a finite number, received the string "red"; categorical (text) features are not supported: encode them as numbers');
    expect((await bad('{}')).message).toBe('x[1][1]: expected a finite number, received an object');
    const nan = await bad('NaN');
    expect(nan.code).toBe('MALFORMED_JSON');
    expect(nan.message).toBe('invalid JSON at byte 19 (in x[1][1]): expected a finite number, received NaN (not a finite number, and not valid JSON either)');
  });

  it('refuses mixed and nested string labels', async () => {
    expect((await failure('{"x": [1, 2], "y": [0, "cat"]}')).message).toBe('y[1] is a string; y[0] was a number (labels are either all class names or all numbers)');
    expect((await failure('{"x": [1, 2], "y": ["cat", 0]}')).message).toBe('y[1] is a number; y[0] was a string (labels are either all class names or all numbers)');
    expect((await failure('{"x": [1], "y": [["cat"]]}')).message)
      .toBe('y[0][0]: expected a number, received the string "cat"; class names are accepted only as whole labels ("y": ["cat", "dog", ...])');
    expect((await failure('{"x": [1], "y": [null]}')).message).toBe('y[0]: expected a number or a class name, received null');
  });

  it('checks the top-level shape: an object with "x" and "y" arrays only', async () => {
    expect((await failure('[1, 2]')).message).toBe('expected an object {"x": [...], "y": [...]}, received an array');
    expect((await failure('{"x": [1], "y": [0], "w": [1]}')).message).toBe('unexpected key "w"; the body must be {"x": [...], "y": [...]} with no other keys');
    expect((await failure('{"x": [1], "x": [2], "y": [0]}')).message).toBe('the key "x" appears twice');
    expect((await failure('{"x": [1]}')).message).toBe('the body has no "y" key; expected {"x": [...], "y": [...]}');
    expect((await failure('{"x": 5, "y": [0]}')).message).toBe('"x" must be an array of samples, received the number 5');
    expect((await failure('{"x": {"a": 1}, "y": [0]}')).message).toBe('"x" must be an array of samples, received an object');
    const empty = await failure('{"x": [], "y": []}');
    expect(empty.code).toBe('EMPTY_DATASET');
    expect(empty.message).toBe('x is empty; expected at least one sample');
    const counts = await failure('{"x": [1, 2, 3], "y": [0, 1]}');
    expect(counts.code).toBe('ROW_COUNT_MISMATCH');
    expect(counts.message).toBe('x has 3 samples but y has 2; they must agree');
  });

  it('reports malformed JSON with the byte offset', async () => {
    const cases: [string, string][] = [
      ['', 'invalid JSON at byte 0: the body is empty; expected {"x": [...], "y": [...]}'],
      ['{"x": [1, 2', 'invalid JSON at byte 11 (in x[2]): the document ends early: an object or array is not closed'],
      ['{"x": [1 2]}', "invalid JSON at byte 9 (in x[1]): expected ',' or ']', received '2'"],
      ['{"x": [1,, 2]}', "invalid JSON at byte 9 (in x[1]): expected a value, received ','"],
      ['{"x": [01]}', 'invalid JSON at byte 7 (in x[0]): invalid number "01"'],
      ['{"x": [1.]}', 'invalid JSON at byte 7 (in x[0]): invalid number "1."'],
      ['{"x" [1]}', "invalid JSON at byte 5 (in x): expected ':' after the property name, received '['"],
      ['{x: [1]}', "invalid JSON at byte 1: expected a property name in double quotes or '}', received 'x'"],
      ['{"x": [1], "y": [0]} x', "invalid JSON at byte 21: unexpected 'x' after the end of the document"],
      ['{"x": [1], "y": ["a\tb"]}', 'invalid JSON at byte 17 (in y[0]): invalid string (a bad escape or a raw control character)'],
      ['{"x": [1], "y": ["ab', 'invalid JSON at byte 17 (in y[0]): the document ends inside a string'],
      ['{"x": [tru]}', 'invalid JSON at byte 7 (in x[0]): unexpected word "tru"; expected a value'],
    ];
    for (const [json, message] of cases) {
      const error = await failure(json);
      expect(error.code, json).toBe('MALFORMED_JSON');
      expect(error.message, json).toBe(message);
    }
  });

  it('enforces maxRows on x', async () => {
    const error = await rejection(parseJsonDataset(onePiece('{"x": [1, 2, 3], "y": [0, 1, 2]}'), { maxRows: 2 }, async () => {}));
    expect(error.message).toBe('the dataset has more than 2 rows, the limit');
  });
});
