import { PAGE_BYTES } from './shared-memory.js';
import type { WasmMemory } from './webassembly.js';

/*
 * A first-fit allocator for float32 buffers in the shared memory, 16-byte aligned (a v128 per aligned load). Only
 * the owning thread allocates; kernels on other threads just receive pointers. Free blocks are kept sorted by
 * address and merged with their neighbours, so a training loop that frees and re-allocates the same sizes reuses the
 * same addresses. When nothing fits, the memory grows (up to its maximum).
 */

const ALIGN = 16;

/** A float32 buffer in the shared memory: byte offset and length in floats. */
export interface WasmF32 {
  readonly ptr: number;
  readonly length: number;
}

interface Block {
  start: number;
  bytes: number;
}

const alignUp = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

export class FloatArena {
  /** Free blocks, sorted by start, never adjacent (merged on free). */
  private readonly free: Block[] = [];
  /** Live allocations: start → bytes. */
  private readonly live = new Map<number, number>();
  /** End of the region handed out so far; everything above it up to the memory's end is free. */
  private top: number;

  /** Manages [base, end of memory) of `memory`; `base` is rounded up to 16. */
  constructor(
    readonly memory: WasmMemory,
    base: number,
  ) {
    this.top = alignUp(base);
    if (this.top > memory.buffer.byteLength) {
      throw new RangeError(`arena base ${base} lies beyond the memory's ${memory.buffer.byteLength} bytes`);
    }
  }

  /** Bytes currently allocated (after alignment). */
  get bytesInUse(): number {
    let total = 0;
    for (const bytes of this.live.values()) total += bytes;
    return total;
  }

  /** A new buffer of `length` floats, 16-byte aligned, contents unspecified (see `zeros`). */
  alloc(length: number): WasmF32 {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`cannot allocate ${length} floats: expected a non-negative integer`);
    // Zero-length buffers still get a distinct 16-byte block, so every pointer is unique and freeable.
    const bytes = alignUp(Math.max(length * 4, ALIGN));
    const index = this.free.findIndex((b) => b.bytes >= bytes);
    let start: number;
    if (index >= 0) {
      const block = this.free[index]!;
      start = block.start;
      if (block.bytes === bytes) this.free.splice(index, 1);
      else {
        block.start += bytes;
        block.bytes -= bytes;
      }
    } else {
      start = this.top;
      this.ensureCapacity(start + bytes);
      this.top = start + bytes;
    }
    this.live.set(start, bytes);
    return { ptr: start, length };
  }

  /** A new buffer of `length` floats set to 0. */
  zeros(length: number): WasmF32 {
    const buffer = this.alloc(length);
    this.view(buffer).fill(0);
    return buffer;
  }

  /** Returns a buffer's block to the arena; the buffer must not be used afterwards. */
  release(buffer: WasmF32): void {
    const bytes = this.live.get(buffer.ptr);
    if (bytes === undefined) throw new RangeError(`release of ${buffer.ptr}: not a live allocation of this arena (freed twice?)`);
    this.live.delete(buffer.ptr);
    this.insertFree({ start: buffer.ptr, bytes });
  }

  /** A Float32Array over the buffer (valid across memory growth: shared memory never detaches). */
  view(buffer: WasmF32): Float32Array {
    return new Float32Array(this.memory.buffer, buffer.ptr, buffer.length);
  }

  /** An Int32Array over the buffer (index arrays such as max pooling's argmax share the float allocator). */
  viewInt32(buffer: WasmF32): Int32Array {
    return new Int32Array(this.memory.buffer, buffer.ptr, buffer.length);
  }

  private insertFree(block: Block): void {
    const free = this.free;
    let i = 0;
    while (i < free.length && free[i]!.start < block.start) i++;
    free.splice(i, 0, block);
    // Merge with the next block, then with the previous one.
    const next = free[i + 1];
    if (next && block.start + block.bytes === next.start) {
      block.bytes += next.bytes;
      free.splice(i + 1, 1);
    }
    const prev = free[i - 1];
    if (prev && prev.start + prev.bytes === block.start) {
      prev.bytes += block.bytes;
      free.splice(i, 1);
    }
    // A free block ending at the top goes back to the untouched region.
    const last = free[free.length - 1];
    if (last && last.start + last.bytes === this.top) {
      this.top = last.start;
      free.pop();
    }
  }

  private ensureCapacity(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE_BYTES);
    try {
      this.memory.grow(pages);
    } catch (error) {
      throw new RangeError(
        `out of WebAssembly memory: need ${end} bytes, have ${have} and growing by ${pages} pages failed (${(error as Error).message})`,
      );
    }
  }
}
