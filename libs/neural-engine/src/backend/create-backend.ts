import { JsBackend } from './js-backend.js';
import { WasmBackend } from './wasm/wasm-backend.js';

/*
 * The one way services and the bench ask for a backend by name and thread count, so they need not know each
 * backend's constructor. Every backend it returns says how many threads it computes on and can be closed.
 */

export interface CreateBackendOptions {
  /** 'wasm' (default): WebAssembly SIMD kernels with a thread pool; 'js': plain TypeScript on the calling thread. */
  name?: 'wasm' | 'js';
  /** Threads for 'wasm' (default: the available cores; 1 = no pool). 'js' always computes on 1. */
  threads?: number;
}

/** A backend with its thread count and a close() that stops its threads (idempotent). */
export type ThreadedBackend = (WasmBackend | JsBackend) & { readonly threads: number; close(): Promise<void> };

/** A backend by name: WasmBackend with `threads`, or JsBackend (1 thread, nothing to close). */
export function createBackend(options: CreateBackendOptions = {}): ThreadedBackend {
  const { name = 'wasm', threads } = options;
  if (name === 'wasm') return WasmBackend.create(threads === undefined ? {} : { threads });
  if (name === 'js') return Object.assign(new JsBackend('float32'), { threads: 1, close: async (): Promise<void> => {} });
  throw new RangeError(`createBackend name = ${String(name)}: expected 'wasm' or 'js'`);
}
