import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/*
 * The built engine (dist), for tests that run whole programs in a child node: what a process exits with, its RSS,
 * its garbage collection. vitest runs the sources; a child runs what `node` runs in production.
 */

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** file: URL of the built engine's entry point, for `import` in a child's program. */
export const engineDistUrl = pathToFileURL(`${root}libs/neural-engine/dist/index.js`).href;

/** Builds the engine (tsc -b), so a child imports the sources under test; for beforeAll (allow ~3 minutes). */
export function buildEngineDist(): void {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', `${root}libs/neural-engine`], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc -b libs/neural-engine failed: ${tsc.stdout}${tsc.stderr}`);
}
