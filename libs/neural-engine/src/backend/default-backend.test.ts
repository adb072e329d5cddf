import { afterEach, describe, expect, it } from 'vitest';
import { Sequential } from '../model/sequential.js';
import { testBackend, testBackendKind } from '../testing/test-backend.js';
import { defaultBackend, setDefaultBackend } from './default-backend.js';
import { JsBackend } from './js-backend.js';
import { WasmBackend } from './wasm/wasm-backend.js';

/* The engine's default backend: WasmBackend unless set; what models built without one use. */

const dense = (): Sequential => new Sequential([{ type: 'Dense', units: 2, inputShape: [3] }]);

// The engine projects' setup file made the test backend the default; every test here puts it back.
afterEach(() => setDefaultBackend(testBackend()));

describe('defaultBackend', () => {
  it('is the test backend in the engine tests (set by test-backend-setup.ts), of the kind KILN_TEST_BACKEND names', () => {
    expect(defaultBackend()).toBe(testBackend());
    expect(testBackend().name).toBe(`${testBackendKind}-float32`);
    expect(dense().backend).toBe(testBackend());
  });

  it('is one WasmBackend, created on first use, when none is set', () => {
    setDefaultBackend(undefined);
    const first = defaultBackend();
    expect(first).toBeInstanceOf(WasmBackend);
    expect(first.dtype).toBe('float32');
    expect(defaultBackend()).toBe(first);
    expect(dense().backend).toBe(first);
  });

  it('setDefaultBackend picks the backend of models built afterwards; earlier models keep theirs', () => {
    setDefaultBackend(undefined);
    const before = dense();
    const js = new JsBackend('float32');
    setDefaultBackend(js);
    expect(defaultBackend()).toBe(js);
    const after = dense();
    expect(after.backend).toBe(js);
    expect(before.backend).toBeInstanceOf(WasmBackend);
  });

  it('an explicit backend wins over the default', () => {
    const js = new JsBackend('float32');
    setDefaultBackend(undefined);
    expect(new Sequential([{ type: 'Dense', units: 2, inputShape: [3] }], { backend: js }).backend).toBe(js);
  });
});
