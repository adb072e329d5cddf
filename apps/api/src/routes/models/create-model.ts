import { createModel } from '@kiln/db';
import { modelDefinitionSchema } from '@kiln/neural-engine';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { parseRequest } from '../../errors.js';
import { buildModel, storedDefinition } from './build-model.js';
import { modelResponse } from './model-response.js';

/** Body of POST /v1/models: a name and the engine's model definition (Sequential or Functional). */
export const createModelBodySchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  definition: modelDefinitionSchema,
});

/** POST /v1/models: registers a definition and answers with its summary. */
export function registerCreateModel(app: FastifyInstance, { db, env }: AppDeps): void {
  app.post('/v1/models', async (request, reply) => {
    const body = parseRequest(createModelBodySchema, request.body, 'body');
    const model = buildModel(body.definition, env.MAX_MODEL_PARAMS);
    const row = await createModel(db, request.tenantId, {
      name: body.name ?? model.name,
      source: 'definition',
      definition: storedDefinition(model, body.definition),
      summary: model.summaryData(),
    });
    return reply.status(201).send(modelResponse(row));
  });
}
