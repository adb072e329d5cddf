// How the bench reaches Kiln's engine: the built dist (what `node` runs in production), and the one place that knows
// how to ask it for a backend and a thread count: the engine's `createBackend({ name, threads })` (WasmBackend with its
// worker pool, or JsBackend); builds from before the factory fall back to the classes below.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const engineRoot = fileURLToPath(new URL('../../libs/neural-engine/', import.meta.url));
export const engineEntry = path.join(engineRoot, 'dist', 'index.js');

/** Imports the built engine; fails with the command to build it when dist is missing. */
export async function importEngine() {
  if (!existsSync(engineEntry)) throw new Error(`${engineEntry} does not exist; build the engine first: npx tsc -b`);
  return import(pathToFileURL(engineEntry).href);
}

/**
 * What the engine build offers the bench. `createBackend({ name, threads })` is the factory the bench expects a
 * threaded engine to export (returning a Backend, optionally with `threads` and `close()`); without it, only the
 * plain-TypeScript backend on the calling thread exists.
 */
export function engineCapabilities(engine) {
  const factory = typeof engine.createBackend === 'function';
  return {
    factory,
    threadPool: factory,
    note: factory ? null : 'engine has no thread pool yet (it exports JsBackend only): Kiln measured at 1 thread',
  };
}

/** A backend for one measurement; `threads` is what the backend says it uses, 1 for the plain-TypeScript one. */
export async function createKilnBackend(engine, { backend, threads }) {
  if (engineCapabilities(engine).factory) {
    const created = await engine.createBackend({ ...(backend === 'default' ? {} : { name: backend }), threads });
    return { backend: created, name: created.name, threads: created.threads ?? threads, close: async () => created.close?.() };
  }
  if (backend === 'wasm' && typeof engine.WasmBackend?.create === 'function') {
    // The WebAssembly SIMD kernels behind JS-heap tensors (copy-in/copy-out), on the calling thread.
    const created = engine.WasmBackend.create();
    return { backend: created, name: 'wasm', threads: 1, close: async () => {} };
  }
  if (backend !== 'default' && backend !== 'js') {
    throw new Error(`--kiln-backend ${backend}: this engine build has no backend factory (createBackend); expected js, wasm or default`);
  }
  return { backend: new engine.JsBackend('float32'), name: 'js', threads: 1, close: async () => {} };
}

/**
 * Source files whose build in dist is missing or older (the bench would measure stale code): each
 * `src/x.ts` against its `dist/x.js`, skipping what the engine's tsconfig excludes (tests, src/testing/).
 */
export function distFreshness() {
  const stale = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (p !== path.join(engineRoot, 'src', 'testing')) walk(p);
      }
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        const rel = path.relative(path.join(engineRoot, 'src'), p);
        const built = path.join(engineRoot, 'dist', rel.replace(/\.ts$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(p).mtimeMs) stale.push(rel);
      }
    }
  };
  if (existsSync(path.join(engineRoot, 'src'))) walk(path.join(engineRoot, 'src'));
  return { stale: stale.length > 0, staleFiles: stale };
}
