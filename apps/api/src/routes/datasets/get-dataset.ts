import { activeJobsUsingDataset, deleteDataset, getDataset } from '@kiln/db';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { AppError, notFound, parseRequest } from '../../errors.js';
import { idParamsSchema, isUuid } from '../id-params.js';
import { datasetResponse } from './dataset-response.js';

/** GET /v1/datasets/:id and DELETE /v1/datasets/:id. */
export function registerGetDataset(app: FastifyInstance, { db }: AppDeps): void {
  app.get('/v1/datasets/:id', async (request) => {
    const { id } = parseRequest(idParamsSchema, request.params, 'params');
    const row = isUuid(id) ? await getDataset(db, request.tenantId, id) : null;
    if (!row) throw notFound('dataset', id);
    return datasetResponse(row);
  });

  app.delete('/v1/datasets/:id', async (request, reply) => {
    const { id } = parseRequest(idParamsSchema, request.params, 'params');
    if (!isUuid(id) || !(await getDataset(db, request.tenantId, id))) throw notFound('dataset', id);
    const jobs = await activeJobsUsingDataset(db, request.tenantId, id);
    if (jobs.length > 0) {
      throw new AppError(409, 'DATASET_IN_USE', `dataset ${id} is read by ${jobs.length} queued or running job(s); cancel them or wait`, { jobs });
    }
    if (!(await deleteDataset(db, request.tenantId, id))) throw notFound('dataset', id);
    return reply.status(204).send();
  });
}
