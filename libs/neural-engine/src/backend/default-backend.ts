import type { Backend } from './backend.js';
import { WasmBackend } from './wasm/wasm-backend.js';

/*
 * The backend a Model uses when none is given. Module state is per thread (every worker_thread loads its own copy of
 * this module), so each thread gets its own WasmBackend and its own WebAssembly memory, created on first use: a
 * process that never builds a model never reserves one. The plain-TypeScript JsBackend remains the reference and the
 * fallback: `setDefaultBackend(new JsBackend('float32'))` before building models.
 *
 * The default computes on its own thread only (threads: 1): a process may build models on many threads (the api's
 * prediction threads, a worker's trainer threads), and a pool per thread would oversubscribe the cores. Threads are
 * asked for explicitly: `createBackend({ threads })` or `WasmBackend.create({ threads })`, whose default is the cores.
 */

let chosen: Backend | undefined;

/** This thread's default backend: the one set by setDefaultBackend, else one WasmBackend created on first call. */
export function defaultBackend(): Backend {
  chosen ??= WasmBackend.create({ threads: 1 });
  return chosen;
}

/**
 * Makes `backend` this thread's default for models built from now on (models keep the backend they were built
 * with). `undefined` goes back to the lazily created WasmBackend.
 */
export function setDefaultBackend(backend: Backend | undefined): void {
  chosen = backend;
}
