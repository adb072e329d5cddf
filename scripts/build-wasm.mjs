// Compiles the engine's AssemblyScript kernels (libs/neural-engine/assembly/) to libs/neural-engine/wasm/kernels.wasm:
// WebAssembly SIMD + threads, memory imported from the host and shared between threads, no runtime beyond the stub
// (the kernels never allocate: the host hands them pointers). Skips the compile when the sources, the flags and the
// compiler version are those of the last build (hash stamp beside the output, like setup.mjs's Prisma stamp).
// Plain Node ESM; usable as `node scripts/build-wasm.mjs [--force]` or `import { buildWasm } from './build-wasm.mjs'`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = path.join(root, 'libs', 'neural-engine');
const sourceDir = path.join(engine, 'assembly');
const outDir = path.join(engine, 'wasm');
const entry = path.join(sourceDir, 'index.ts');
const output = path.join(outDir, 'kernels.wasm');
const stamp = path.join(outDir, '.kiln-wasm-hash');

// Memory limits the module declares (64 KiB pages). The host creates the shared memory with initial >= 1 and its own
// maximum <= 65536 (4 GiB, the wasm32 limit); this is the widest declaration the host may choose within.
export const ASC_FLAGS = [
  '-O3', '--noAssert', '--use', 'abort=',
  '--enable', 'simd', '--enable', 'threads',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
  '--runtime', 'stub',
];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.ts') || f.endsWith('.json'))
    .sort();
}

function inputsHash() {
  const hash = createHash('sha256');
  const ascVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'assemblyscript', 'package.json'), 'utf8')).version;
  hash.update(`asc ${ascVersion}\n${ASC_FLAGS.join(' ')}\n`);
  for (const file of sourceFiles(sourceDir)) {
    hash.update(path.relative(sourceDir, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * Builds kernels.wasm unless it is up to date. Returns 'up to date' or 'compiled'; throws an Error carrying the
 * compiler's messages when the compile fails.
 */
export async function buildWasm({ force = false } = {}) {
  const hash = inputsHash();
  if (!force && existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return 'up to date';
  mkdirSync(outDir, { recursive: true });
  const { default: asc } = await import('assemblyscript/asc');
  let messages = '';
  const sink = { write: (text) => { messages += String(text); return true; } };
  // Written beside the output, then renamed over it: concurrent builds (parallel test files) never expose a partial file.
  const temporary = `${output}.${process.pid}.tmp`;
  const { error } = await asc.main([entry, '--outFile', temporary, ...ASC_FLAGS], { stdout: sink, stderr: sink });
  if (error) {
    rmSync(temporary, { force: true });
    throw new Error(`AssemblyScript compile of ${path.relative(root, entry)} failed: ${error.message}\n${messages}`);
  }
  renameSync(temporary, output);
  writeFileSync(stamp, `${hash}\n`);
  return 'compiled';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  buildWasm({ force: process.argv.includes('--force') }).then(
    (result) => console.log(`kernels.wasm — ${result} (${Date.now() - started} ms)`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
