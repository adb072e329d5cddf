// `npm test`: the set-up of `npm start` (see setup.mjs), then a type-check of everything including
// the tests, then the whole vitest suite. Exits non-zero if any of it fails. Arguments after `--`
// go to vitest (`npm test -- libs/contracts`).
import { formatMillis, runMain, runPackageBin, say, setup } from './setup.mjs';

await runMain(async () => {
  const env = await setup();

  let started = Date.now();
  say('type-check, tests included (tsc --noEmit -p tsconfig.test.json)');
  const typecheck = runPackageBin('typescript', 'tsc', ['--noEmit', '-p', 'tsconfig.test.json'], { env });
  say(`type-check — ${typecheck.status === 0 ? 'ok' : 'FAILED'} (${formatMillis(Date.now() - started)})`);

  started = Date.now();
  say('tests (vitest run)');
  const tests = runPackageBin('vitest', 'vitest', ['run', ...process.argv.slice(2)], { env });
  say(`tests — ${tests.status === 0 ? 'ok' : 'FAILED'} (${formatMillis(Date.now() - started)})`);

  const failed = [typecheck.status !== 0 && 'type-check', tests.status !== 0 && 'tests'].filter(Boolean);
  if (failed.length > 0) {
    console.error(`✗ npm test failed: ${failed.join(' and ')}.`);
    process.exit(1);
  }
  say('all passed');
});
