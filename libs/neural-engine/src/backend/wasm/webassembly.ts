/*
 * The slice of the WebAssembly JavaScript API the kernels use, typed here because the repository compiles against the
 * ES and Node libraries only (the WebAssembly declarations live in TypeScript's DOM library). The objects are the
 * real globals; only their static types come from this file.
 */

/** A WebAssembly.Memory created with `shared: true`: its buffer is a SharedArrayBuffer that never detaches. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  /** Adds `pages` 64 KiB pages; returns the previous size in pages; throws beyond the maximum. */
  grow(pages: number): number;
}

/** A compiled WebAssembly.Module (structured-cloneable: it passes to worker_threads through workerData). */
export interface WasmModule {
  readonly [Symbol.toStringTag]: string;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}

/** The global WebAssembly namespace, typed. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
