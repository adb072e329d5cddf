import { defineConfig } from 'vitest/config';

// Workspace packages export `development` → src/*.ts and `default` → dist/*.js. Tests run against
// the sources, whether or not dist/ is built: vitest resolves imports for Node with the `ssr`
// conditions (and passes them to its workers as --conditions), so `development` is listed first
// there. test/workspace-resolution.test.ts checks it.
const serverConditions = ['development', 'node'];

// The engine's tests run twice, once per backend (KILN_TEST_BACKEND, read by
// libs/neural-engine/src/testing/test-backend.ts; its setup file makes that backend the models'
// default). Everything else (project "rest") runs once, on the engine's default backend (WebAssembly).
// `vitest run --project 'engine (js)'` runs one of them.
const engineTests = 'libs/neural-engine/**/*.test.ts';
const engineProject = (backend: 'wasm' | 'js') => ({
  extends: true as const,
  test: {
    name: `engine (${backend})`,
    include: [engineTests],
    env: { KILN_TEST_BACKEND: backend },
    setupFiles: ['libs/neural-engine/src/testing/test-backend-setup.ts'],
  },
});

export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: serverConditions, externalConditions: serverConditions } },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    // Every model needs the WebAssembly kernels now: compile them once before any test (skipped when up to date).
    globalSetup: ['scripts/vitest-global-setup.mjs'],
    projects: [
      engineProject('wasm'),
      engineProject('js'),
      {
        extends: true,
        test: {
          name: 'rest',
          include: ['libs/**/*.test.ts', 'apps/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [engineTests],
        },
      },
    ],
  },
});
