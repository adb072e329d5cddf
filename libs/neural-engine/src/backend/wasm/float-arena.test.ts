import { describe, expect, it } from 'vitest';
import { FloatArena } from './float-arena.js';
import { PAGE_BYTES, createSharedMemory } from './shared-memory.js';

describe('FloatArena', () => {
  it('hands out 16-byte aligned, non-overlapping buffers above its base', () => {
    const arena = new FloatArena(createSharedMemory({ initialBytes: PAGE_BYTES, maximumBytes: 4 * PAGE_BYTES }), 1000);
    const sizes = [1, 3, 4, 5, 0, 17, 100];
    const buffers = sizes.map((n) => arena.alloc(n));
    let end = 1000;
    for (const [i, b] of buffers.entries()) {
      expect(b.ptr % 16).toBe(0);
      expect(b.ptr).toBeGreaterThanOrEqual(end);
      expect(b.length).toBe(sizes[i]);
      end = b.ptr + Math.max(b.length * 4, 16);
    }
  });

  it('reuses freed blocks, merges neighbours and returns the top block', () => {
    const arena = new FloatArena(createSharedMemory({ initialBytes: PAGE_BYTES, maximumBytes: 4 * PAGE_BYTES }), 0);
    const a = arena.alloc(8);
    const b = arena.alloc(8);
    const c = arena.alloc(8);
    arena.release(a);
    arena.release(b); // merges with a: one 64-byte hole
    const d = arena.alloc(16);
    expect(d.ptr).toBe(a.ptr);
    arena.release(c);
    arena.release(d);
    expect(arena.bytesInUse).toBe(0);
    // Everything returned: the next allocation starts at the base again.
    expect(arena.alloc(100).ptr).toBe(a.ptr);
  });

  it('grows the memory when nothing fits, and keeps old views valid', () => {
    const memory = createSharedMemory({ initialBytes: PAGE_BYTES, maximumBytes: 8 * PAGE_BYTES });
    const arena = new FloatArena(memory, 0);
    const small = arena.zeros(4);
    const view = arena.view(small);
    view[0] = 42;
    const big = arena.alloc(3 * PAGE_BYTES / 4);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big.ptr + 3 * PAGE_BYTES);
    expect(view[0]).toBe(42);
    expect(arena.view(small)[0]).toBe(42);
  });

  it('says what went wrong: bad length, double release, memory exhausted', () => {
    const arena = new FloatArena(createSharedMemory({ initialBytes: PAGE_BYTES, maximumBytes: 2 * PAGE_BYTES }), 0);
    expect(() => arena.alloc(-1)).toThrow(/cannot allocate -1 floats: expected a non-negative integer/);
    expect(() => arena.alloc(1.5)).toThrow(/cannot allocate 1.5 floats/);
    const a = arena.alloc(4);
    arena.release(a);
    expect(() => arena.release(a)).toThrow(/not a live allocation of this arena/);
    expect(() => arena.alloc(PAGE_BYTES)).toThrow(/out of WebAssembly memory: need 262144 bytes/);
  });

  it('rejects memory limits beyond wasm32 or inverted', () => {
    expect(() => createSharedMemory({ initialBytes: 2 ** 20, maximumBytes: 2 ** 33 })).toThrow(/expected 0 < initial <= maximum/);
    expect(() => createSharedMemory({ initialBytes: 2 ** 22, maximumBytes: 2 ** 20 })).toThrow(/expected 0 < initial <= maximum/);
  });
});
