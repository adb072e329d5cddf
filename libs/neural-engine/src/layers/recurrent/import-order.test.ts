import { expect, it } from 'vitest';

/*
 * The wrappers nest any layer, so this folder and the layer registry (layers/index.ts) import each other. Importing a
 * recurrent module before the registry would leave the registry without this folder's layers; it fails loudly instead.
 * (Vitest gives each test file its own module graph, and this file imports nothing from the engine statically.)
 */

it('importing the recurrent folder before the registry throws a clear error', async () => {
  await expect(import('./index.js')).rejects.toThrow(/imported before the layer registry/);
});
