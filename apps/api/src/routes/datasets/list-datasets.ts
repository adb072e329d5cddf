import { listDatasets } from '@kiln/db';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { parseRequest } from '../../errors.js';
import { badCursor, pageQuerySchema } from '../pagination.js';
import { datasetResponse } from './dataset-response.js';

/** GET /v1/datasets: the tenant's datasets, newest first, paginated by cursor. */
export function registerListDatasets(app: FastifyInstance, { db }: AppDeps): void {
  app.get('/v1/datasets', async (request) => {
    const query = parseRequest(pageQuerySchema, request.query, 'query');
    const page = await listDatasets(db, request.tenantId, query);
    if (!page) throw badCursor();
    return { items: page.items.map(datasetResponse), nextCursor: page.nextCursor };
  });
}
