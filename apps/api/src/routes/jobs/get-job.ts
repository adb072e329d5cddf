import { jobStatusSchema } from '@kiln/contracts';
import { getJob, getJobMetrics, listCheckpoints, listJobs } from '@kiln/db';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { notFound, parseRequest } from '../../errors.js';
import { idParamsSchema, isUuid } from '../id-params.js';
import { badCursor, pageQuerySchema } from '../pagination.js';
import { jobResponse } from './job-response.js';

const listQuerySchema = pageQuerySchema.extend({
  /** One status or several, comma-separated. */
  status: z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(jobStatusSchema))
    .optional(),
});

const metricsQuerySchema = z.strictObject({
  /** Only these logged quantities, comma-separated (loss, accuracy, val_loss...). */
  names: z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean)).optional(),
  fromEpoch: z.coerce.number().int().nonnegative().optional(),
  toEpoch: z.coerce.number().int().nonnegative().optional(),
});

/** GET /v1/jobs, /v1/jobs/:id, /v1/jobs/:id/metrics, /v1/jobs/:id/checkpoints. */
export function registerGetJob(app: FastifyInstance, { db }: AppDeps): void {
  app.get('/v1/jobs', async (request) => {
    const query = parseRequest(listQuerySchema, request.query, 'query');
    const page = await listJobs(db, request.tenantId, query);
    if (!page) throw badCursor();
    return { items: page.items.map(jobResponse), nextCursor: page.nextCursor };
  });

  const requireJob = async (tenantId: string, params: unknown) => {
    const { id } = parseRequest(idParamsSchema, params, 'params');
    const job = isUuid(id) ? await getJob(db, tenantId, id) : null;
    if (!job) throw notFound('job', id);
    return job;
  };

  app.get('/v1/jobs/:id', async (request) => jobResponse(await requireJob(request.tenantId, request.params)));

  app.get('/v1/jobs/:id/metrics', async (request) => {
    const job = await requireJob(request.tenantId, request.params);
    const query = parseRequest(metricsQuerySchema, request.query, 'query');
    return { jobId: job.id, ...(await getJobMetrics(db, request.tenantId, job.id, query)) };
  });

  app.get('/v1/jobs/:id/checkpoints', async (request) => {
    const job = await requireJob(request.tenantId, request.params);
    const rows = await listCheckpoints(db, request.tenantId, job.id);
    return { items: rows.map((r) => ({ epoch: r.epoch, attempt: r.attempt, sizeBytes: r.sizeBytes, createdAt: r.createdAt.toISOString() })) };
  });
}
