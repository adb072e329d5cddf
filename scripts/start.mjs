// `npm start`: set up everything (see setup.mjs), then run Kiln. Until the api exists, Kiln is the
// training demo of apps/demo; the command stays the same when the api and worker arrive.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { SetupError, root, runMain, say, setup } from './setup.mjs';

await runMain(async () => {
  const env = await setup();
  const entry = path.join(root, 'apps', 'demo', 'dist', 'main.js');
  if (!existsSync(entry)) {
    throw new SetupError('apps/demo/dist/main.js was not built: apps/demo/src/main.ts does not exist yet.');
  }
  say('running the training demo (apps/demo)\n');
  const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
  // The child receives Ctrl-C from the terminal itself; a SIGTERM sent to this process is passed on.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
});
