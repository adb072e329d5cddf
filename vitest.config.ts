import { defineConfig } from 'vitest/config';

// Workspace packages export `development` → src/*.ts and `default` → dist/*.js. Tests run against
// the sources, whether or not dist/ is built: vitest resolves imports for Node with the `ssr`
// conditions (and passes them to its workers as --conditions), so `development` is listed first
// there. test/workspace-resolution.test.ts checks it.
const serverConditions = ['development', 'node'];

export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: serverConditions, externalConditions: serverConditions } },
  test: {
    include: ['libs/**/*.test.ts', 'apps/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
  },
});
