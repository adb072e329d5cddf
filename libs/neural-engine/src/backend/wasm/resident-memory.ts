import type { FloatArray } from '../../tensor.js';
import type { FloatArena, WasmF32 } from './float-arena.js';

/*
 * Tensors whose storage is a view into the backend's WebAssembly memory ("resident"): kernels take their pointer
 * instead of a copy. This module knows which arrays are resident and owns the lasting ones — weights, gradients,
 * optimizer state — which live until their array is garbage. Step tensors are step-memory.ts's.
 *
 * A lasting block goes back to the arena when its Float32Array is collected (FinalizationRegistry): every reader
 * goes through `tensor.data`, and reshapes share that array, so it is the one object whose death ends the storage.
 * The garbage collector does not see WebAssembly memory, so a process dropping many models could reach the memory's
 * maximum before a collection frees their weights: past `budgetBytes` of live lasting storage (or when the memory
 * cannot grow) new lasting tensors go to the JS heap instead, where kernels copy them as before. Slower, never wrong.
 */

/** Lasting storage allowed in the memory before new lasting tensors fall back to the JS heap (256 MiB). */
export const DEFAULT_LASTING_BUDGET_BYTES = 256 * 2 ** 20;

export class ResidentMemory {
  /** Every SharedArrayBuffer the memory has handed out (a grow gives `memory.buffer` a new object). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** Lasting arrays → their block, for an explicit release. */
  private readonly lastingBlocks = new WeakMap<FloatArray, WasmF32>();
  private readonly collected = new FinalizationRegistry<WasmF32>((block) => this.free(block));
  private lastingBytesInUse = 0;

  constructor(
    readonly arena: FloatArena,
    private readonly budgetBytes: number = DEFAULT_LASTING_BUDGET_BYTES,
  ) {}

  /** Bytes of lasting storage alive in the memory. */
  get lastingBytes(): number {
    return this.lastingBytesInUse;
  }

  /** A Float32Array over `length` floats at byte offset `ptr`, recognised as resident from now on. */
  view(ptr: number, length: number): Float32Array {
    const buffer = this.arena.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer, ptr, length);
  }

  /** The block `data` occupies when it is a view into this memory, else undefined (a JS-heap array). */
  blockOf(data: FloatArray): WasmF32 | undefined {
    if (!(data instanceof Float32Array) || !this.buffers.has(data.buffer)) return undefined;
    return { ptr: data.byteOffset, length: data.length };
  }

  /** A lasting array of `length` floats (contents unspecified), or undefined when it must go to the JS heap. */
  allocateLasting(length: number): Float32Array | undefined {
    const bytes = length * 4;
    if (this.lastingBytesInUse + bytes > this.budgetBytes) return undefined;
    let block: WasmF32;
    try {
      block = this.arena.alloc(length);
    } catch (error) {
      if (error instanceof RangeError) return undefined; // the memory cannot grow: the JS heap it is
      throw error;
    }
    const data = this.view(block.ptr, length);
    this.lastingBytesInUse += bytes;
    this.lastingBlocks.set(data, block);
    this.collected.register(data, block, data);
    return data;
  }

  /** Frees a lasting array now (Backend.release); step arrays and JS-heap arrays are left alone. */
  release(data: FloatArray): void {
    const block = this.lastingBlocks.get(data);
    if (!block) return;
    this.lastingBlocks.delete(data);
    this.collected.unregister(data);
    this.free(block);
  }

  private free(block: WasmF32): void {
    this.arena.release(block);
    this.lastingBytesInUse -= block.length * 4;
  }
}
