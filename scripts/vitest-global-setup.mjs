// vitest globalSetup: compiles the engine's WebAssembly kernels before any test runs (skipped when up to date), since
// every model without an explicit backend runs on them. Same build as `node scripts/build-wasm.mjs`.
import { buildWasm } from './build-wasm.mjs';

export default async function setup() {
  await buildWasm();
}
