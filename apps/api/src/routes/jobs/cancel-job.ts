import { requestCancel } from '@kiln/db';
import { cancelChannel, publishJobEvents } from '@kiln/queue';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { AppError, notFound, parseRequest } from '../../errors.js';
import { idParamsSchema, isUuid } from '../id-params.js';
import { jobResponse } from './job-response.js';

/**
 * POST /v1/jobs/:id/cancel: a queued job is cancelled at once (and removed from the queue); a running one is flagged
 * and its worker is told over pub/sub: it stops within one batch, keeps its checkpoints and writes the final status.
 */
export function registerCancelJob(app: FastifyInstance, deps: AppDeps): void {
  app.post('/v1/jobs/:id/cancel', async (request, reply) => {
    const { id } = parseRequest(idParamsSchema, request.params, 'params');
    if (!isUuid(id)) throw notFound('job', id);
    const outcome = await requestCancel(deps.db, request.tenantId, id);
    switch (outcome.kind) {
      case 'not-found':
        throw notFound('job', id);
      case 'finished':
        throw new AppError(409, 'JOB_FINISHED', `job ${id} already ${outcome.job.status}`);
      case 'cancelled':
        await deps.queue.remove(id).catch(() => 0);
        await publishJobEvents(deps.redis, deps.env.QUEUE_PREFIX, request.tenantId, outcome.events).catch(() => {});
        return reply.status(202).send(jobResponse(outcome.job));
      case 'requested':
        // Workers also re-read the flag at every write, so a lost message only delays the stop to the next batch event.
        await deps.redis.publish(cancelChannel(deps.env.QUEUE_PREFIX), id).catch(() => 0);
        return reply.status(202).send(jobResponse(outcome.job));
    }
  });
}
