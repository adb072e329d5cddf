import type { Backend } from '../backend/backend.js';
import { JsBackend } from '../backend/js-backend.js';
import { WasmBackend } from '../backend/wasm/wasm-backend.js';

/*
 * The float32 backend the engine's tests run on, chosen by KILN_TEST_BACKEND (read here and nowhere else):
 * `wasm` (the default, as for models) or `js` (the plain-TypeScript reference). vitest.config.ts runs the engine suite
 * once with each; test-backend-setup.ts makes it the models' default too. Float64 checks stay on
 * `float64Backend` (gradient-check.ts): WasmBackend is float32 only.
 *
 * The wasm backend sends every op through the kernels (thresholds 0): test shapes are small, and with the default
 * thresholds most of them would run JsBackend's loops and prove nothing about the kernels. The thresholds only choose
 * between the two paths, and the two projects test both.
 */

export type TestBackendKind = 'wasm' | 'js';

function readKind(value: string | undefined): TestBackendKind {
  if (value === undefined || value === '' || value === 'wasm') return 'wasm';
  if (value === 'js') return 'js';
  throw new Error(`KILN_TEST_BACKEND must be "wasm" or "js", received "${value}"`);
}

/** Which backend this test run uses. */
export const testBackendKind: TestBackendKind = readKind(process.env.KILN_TEST_BACKEND);

let backend: Backend | undefined;

/** This test file's float32 backend (one per file: vitest isolates modules per file). */
export function testBackend(): Backend {
  backend ??= testBackendKind === 'js' ? new JsBackend('float32') : WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, poisonSteps: true });
  return backend;
}
