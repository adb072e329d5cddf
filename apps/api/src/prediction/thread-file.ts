import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The api package's folder: the nearest one above this module holding a package.json (the same from src/ and dist/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/**
 * The built thread entry. Threads run JavaScript, so this is always dist/, even when the predictor itself runs from
 * the TypeScript sources (vitest): `npx tsc -b` builds it.
 */
export function predictionThreadFile(): string {
  return path.join(packageRoot(), 'dist', 'prediction', 'prediction-thread.js');
}

/**
 * Node options for a prediction thread: the parent's minus export conditions. vitest adds `--conditions development`,
 * which points workspace packages at their .ts sources; the JavaScript thread must resolve them to dist/ like production.
 */
export function threadExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === '--conditions' || arg === '-C') i++;
    else if (!arg.startsWith('--conditions=') && !arg.startsWith('-C=')) kept.push(arg);
  }
  return kept;
}
