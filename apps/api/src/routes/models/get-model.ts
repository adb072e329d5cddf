import { getModel, listModels, listModelVersions } from '@kiln/db';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { notFound, parseRequest } from '../../errors.js';
import { idParamsSchema, isUuid } from '../id-params.js';
import { badCursor, pageQuerySchema } from '../pagination.js';
import { modelResponse, versionResponse } from './model-response.js';

/** GET /v1/models, GET /v1/models/:id, GET /v1/models/:id/versions. */
export function registerGetModel(app: FastifyInstance, { db }: AppDeps): void {
  app.get('/v1/models', async (request) => {
    const query = parseRequest(pageQuerySchema, request.query, 'query');
    const page = await listModels(db, request.tenantId, query);
    if (!page) throw badCursor();
    return { items: page.items.map(modelResponse), nextCursor: page.nextCursor };
  });

  app.get('/v1/models/:id', async (request) => {
    const { id } = parseRequest(idParamsSchema, request.params, 'params');
    const row = isUuid(id) ? await getModel(db, request.tenantId, id) : null;
    if (!row) throw notFound('model', id);
    return modelResponse(row);
  });

  app.get('/v1/models/:id/versions', async (request) => {
    const { id } = parseRequest(idParamsSchema, request.params, 'params');
    if (!isUuid(id) || !(await getModel(db, request.tenantId, id))) throw notFound('model', id);
    const versions = await listModelVersions(db, request.tenantId, id);
    return { items: versions.map(versionResponse) };
  });
}
