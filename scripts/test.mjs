// `npm test`: the set-up of `npm start` (see setup.mjs), then a type-check of everything including
// the tests, then the whole vitest suite. Exits non-zero if any of it fails. Arguments after `--`
// go to vitest (`npm test -- libs/contracts`).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMillis, runMain, runPackageBin, say, setup } from './setup.mjs';

await runMain(async () => {
  const env = await setup();

  let started = Date.now();
  say('type-check, tests included (tsc --noEmit -p tsconfig.test.json)');
  const typecheck = runPackageBin('typescript', 'tsc', ['--noEmit', '-p', 'tsconfig.test.json'], { env });
  say(`type-check — ${typecheck.status === 0 ? 'ok' : 'FAILED'} (${formatMillis(Date.now() - started)})`);

  started = Date.now();
  say('tests (vitest run)');
  // A JSON report beside the usual one gives the counts for the plain closing line CI reads.
  const report = join(tmpdir(), `kiln-vitest-${process.pid}.json`);
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  const tests = runPackageBin('vitest', 'vitest', ['run', ...reporters, ...process.argv.slice(2)], { env });
  say(`tests — ${tests.status === 0 ? 'ok' : 'FAILED'} (${formatMillis(Date.now() - started)})`);
  let counts = '';
  if (existsSync(report)) {
    const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'));
    rmSync(report, { force: true });
    counts = `${numPassedTests} passed, ${numFailedTests} failed`;
  }

  const failed = [typecheck.status !== 0 && 'type-check', tests.status !== 0 && 'tests'].filter(Boolean);
  if (failed.length > 0) {
    console.error(`✗ npm test failed: ${failed.join(' and ')}.`);
    if (counts) console.log(counts);
    process.exit(1);
  }
  say('all passed');
  if (counts) console.log(counts);
});
