import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createBackend } from './create-backend.js';
import { JsBackend } from './js-backend.js';
import { WasmBackend } from './wasm/wasm-backend.js';

describe('createBackend', () => {
  it('defaults to WasmBackend on the available cores', async () => {
    const b = createBackend();
    expect(b).toBeInstanceOf(WasmBackend);
    expect(b.threads).toBe(availableParallelism());
    await b.close();
  });

  it('gives WasmBackend the thread count asked for', async () => {
    for (const threads of [1, 3]) {
      const b = createBackend({ name: 'wasm', threads });
      expect(b.threads).toBe(threads);
      await b.close();
      await b.close();
    }
  });

  it("'js' is JsBackend on 1 thread with a close() that does nothing", async () => {
    const b = createBackend({ name: 'js', threads: 4 });
    expect(b).toBeInstanceOf(JsBackend);
    expect(b).not.toBeInstanceOf(WasmBackend);
    expect(b.name).toBe('js-float32');
    expect(b.threads).toBe(1);
    await expect(b.close()).resolves.toBeUndefined();
  });

  it('refuses unknown names and thread counts', () => {
    expect(() => createBackend({ name: 'gpu' as 'js' })).toThrow(/createBackend name = gpu: expected 'wasm' or 'js'/);
    expect(() => createBackend({ threads: 0 })).toThrow(/threads = 0: expected a positive integer/);
  });
});
