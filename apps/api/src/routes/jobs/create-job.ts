import { createHash } from 'node:crypto';
import { trainingJobRequestSchema } from '@kiln/contracts';
import { createJob, createModel, deleteUnqueuedJob } from '@kiln/db';
import { enqueueTraining, publishJobEvents } from '@kiln/queue';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { AppError, parseRequest } from '../../errors.js';
import { jobResponse } from './job-response.js';
import { planJob } from './plan-job.js';

const headersSchema = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
});

/**
 * POST /v1/jobs: validates the whole job (model, datasets, shapes) before writing anything, stores the job with its
 * first event, then enqueues it; answers 202. An Idempotency-Key makes retries return the same job.
 */
export function registerCreateJob(app: FastifyInstance, deps: AppDeps): void {
  app.post('/v1/jobs', async (request, reply) => {
    const body = parseRequest(trainingJobRequestSchema, request.body, 'body');
    const { 'idempotency-key': idempotencyKey } = parseRequest(headersSchema, request.headers, 'headers');
    const requestHash = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
    const planned = await planJob(deps, request.tenantId, body);

    const model =
      planned.model ??
      (await createModel(deps.db, request.tenantId, { name: `inline-${new Date().toISOString()}`, source: 'inline', definition: planned.definition, summary: planned.summary }));
    const created = await createJob(deps.db, request.tenantId, {
      modelId: model.id,
      datasetId: body.datasetId,
      validationDatasetId: body.validationDatasetId ?? null,
      config: planned.config,
      plan: planned.plan,
      epochs: body.fit.epochs,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
    });
    if (created.replayed) {
      if (!planned.model) await deps.db.model.deleteMany({ where: { id: model.id, tenantId: request.tenantId } });
      if (created.job.requestHash !== requestHash) {
        throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${JSON.stringify(idempotencyKey)} was used for a different request`);
      }
      return reply.status(202).header('idempotent-replayed', 'true').send(jobResponse(created.job));
    }
    try {
      await enqueueTraining(deps.queue, created.job.id);
    } catch (error) {
      request.log.error({ err: error, jobId: created.job.id }, 'enqueue failed');
      await deleteUnqueuedJob(deps.db, request.tenantId, created.job.id);
      if (!planned.model) await deps.db.model.deleteMany({ where: { id: model.id, tenantId: request.tenantId } });
      throw new AppError(503, 'QUEUE_UNAVAILABLE', 'the job queue is unavailable; nothing was stored, retry later');
    }
    // Subscribers read the history from Postgres, so a lost publish only delays the first event.
    await publishJobEvents(deps.redis, deps.env.QUEUE_PREFIX, request.tenantId, created.events).catch((error: unknown) => request.log.warn({ err: error }, 'publish failed'));
    return reply.status(202).send(jobResponse(created.job));
  });
}

