import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Sequential } from '@kiln/neural-engine';
import { expect, it } from 'vitest';

/*
 * The README's "engine in ten lines" must stay true: this runs the README's code block itself (its import line
 * replaced by the real import above) on the 8x8 digits, and checks it trains to a useful accuracy.
 */

const root = new URL('../', import.meta.url);

function readDigits(file: string): { x: number[][]; y: number[] } {
  const rows = readFileSync(fileURLToPath(new URL(`test/datasets/${file}`, root)), 'utf8').trim().split('\n').slice(1);
  const x = rows.map((r) => r.split(',').map(Number));
  const y = x.map((r) => r.pop()!);
  return { x: x.map((r) => r.map((v) => v / 16)), y };
}

it('the README example trains the digits to >= 0.95 test accuracy', async () => {
  const readme = readFileSync(fileURLToPath(new URL('README.md', root)), 'utf8');
  const section = readme.slice(readme.indexOf('## The engine in ten lines'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'README has a ts block under "The engine in ten lines"').toBeDefined();
  const lines = code!.trim().split('\n');
  expect(lines.length).toBeLessThanOrEqual(10);
  const body = lines.filter((l) => !l.startsWith('import ')).join('\n').replace(/console\.log\((.*)\);/, 'return [$1];');
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
  const train = readDigits('digits_train.csv');
  const test = readDigits('digits_test.csv');
  const run = new AsyncFunction('Sequential', 'x', 'y', 'xTest', 'yTest', body);
  const [summary, result] = (await run(Sequential, train.x, train.y, test.x, test.y)) as [string, { accuracy: number }];
  expect(summary).toMatch(/Total params: 4,810/);
  expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
});
