import { type WasmMemory, webAssembly } from './webassembly.js';

/*
 * The one WebAssembly.Memory every kernel instance (one per thread) works in. Shared, so the same memory passes to
 * worker_threads and never detaches on growth: views made before a grow stay valid.
 */

/** Bytes per WebAssembly page. */
export const PAGE_BYTES = 65536;
/** The module declares at most 65536 pages (4 GiB, the wasm32 limit). */
export const MAX_PAGES = 65536;

export interface SharedMemoryOptions {
  /** Bytes available at once (rounded up to pages; default 16 MiB). */
  initialBytes?: number;
  /** Bytes the memory may grow to (rounded up to pages; default 1 GiB). Reserved as address space, not committed. */
  maximumBytes?: number;
}

/** A shared memory the kernels module can import. */
export function createSharedMemory(options: SharedMemoryOptions = {}): WasmMemory {
  const { initialBytes = 16 * 2 ** 20, maximumBytes = 2 ** 30 } = options;
  const initial = Math.max(1, Math.ceil(initialBytes / PAGE_BYTES));
  const maximum = Math.ceil(maximumBytes / PAGE_BYTES);
  if (!Number.isFinite(initial) || !Number.isFinite(maximum) || maximum > MAX_PAGES || maximum < initial) {
    throw new RangeError(
      `shared memory of ${initialBytes} bytes growing to ${maximumBytes}: expected 0 < initial <= maximum <= ${MAX_PAGES * PAGE_BYTES} bytes`,
    );
  }
  return new webAssembly.Memory({ initial, maximum, shared: true });
}
