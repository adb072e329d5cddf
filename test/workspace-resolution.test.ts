import { trainingJobRequestSchema } from '@kiln/contracts';
import { createPrismaClient } from '@kiln/db';
import { modelDefinitionSchema } from '@kiln/neural-engine';
import { describe, expect, it } from 'vitest';

// Workspace packages export `development` → src/index.ts and `default` → dist/index.js. Tests must
// run against the sources (dist/ may be stale or missing), and every package must see the same
// module instances.
describe('workspace package resolution under vitest', () => {
  it.each(['@kiln/neural-engine', '@kiln/contracts', '@kiln/db'])('%s resolves to its TypeScript sources', (name) => {
    const dir = name.replace('@kiln/', '');
    expect(import.meta.resolve(name)).toMatch(new RegExp(`/libs/${dir}/src/index\\.ts$`));
  });

  it('contracts composes the very schema objects the engine exports', () => {
    expect(trainingJobRequestSchema.shape.model.unwrap()).toBe(modelDefinitionSchema);
    expect(typeof createPrismaClient).toBe('function');
  });
});
