import { type JobEvent, terminalJobStatuses } from '@kiln/contracts';
import { getJob, listJobEvents } from '@kiln/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { notFound, parseRequest } from '../errors.js';
import { idParamsSchema, isUuid } from '../routes/id-params.js';
import { type HistoryReader, JobEventCursor } from './job-event-cursor.js';
import { sendEvent } from './socket-sender.js';

const streamQuerySchema = z.strictObject({
  /** Resume after this seq: only later events are sent (history first, then live). */
  after: z.coerce.number().int().nonnegative().default(0),
});

/**
 * WS /v1/jobs/:id/stream: the job's events from `?after=` on, history from Postgres then live from Redis, without
 * gap or duplicate; closed (1000) after the `done` event. WS /v1/stream: live events of every job of the tenant, each
 * job's events gap-free and in order from the first one this socket sees (from seq 1 for jobs created after it
 * connected).
 */
export function registerJobStreams(app: FastifyInstance, deps: AppDeps): void {
  // Clients only listen: whatever they send is ignored (app.ts cuts floods with maxPayload and closes sockets with
  // 1001 on shutdown).
  const track = (socket: WebSocket) => socket.on('message', () => {});
  const readHistory = (tenantId: string): HistoryReader => (jobId, after, limit) => listJobEvents(deps.db, tenantId, jobId, { after, limit });

  // Validation runs before the upgrade, so an unknown job is a plain HTTP 404 in the error shape.
  const checkJob = async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = parseRequest(idParamsSchema, request.params, 'params');
    parseRequest(streamQuerySchema, request.query, 'query');
    if (!isUuid(id) || !(await getJob(deps.db, request.tenantId, id))) {
      const error = notFound('job', id);
      return reply.status(404).send(error.toResponse());
    }
  };

  app.get('/v1/jobs/:id/stream', { websocket: true, preValidation: checkJob }, async (socket, request) => {
    track(socket);
    const { id } = idParamsSchema.parse(request.params);
    const { after } = streamQuerySchema.parse(request.query);
    const cursor = new JobEventCursor(id, after, readHistory(request.tenantId), (event) => {
      const sent = sendEvent(socket, event);
      if (sent && event.type === 'done') setImmediate(() => socket.close(1000, 'job finished'));
      return sent;
    });
    const unsubscribe = await deps.events.subscribe(request.tenantId, (event) => {
      if (event.jobId === id) void cursor.offer(event);
    });
    socket.on('close', () => {
      cursor.close();
      void unsubscribe();
    });
    await cursor.sync();
    // A job that ended before `after` sends no done event again: tell the client it is over.
    const job = await getJob(deps.db, request.tenantId, id);
    if (job && terminalJobStatuses.includes(job.status as never) && cursor.seq >= job.lastSeq && socket.readyState === socket.OPEN) {
      socket.close(1000, `job ${job.status}`);
    }
  });

  app.get('/v1/stream', { websocket: true }, async (socket, request) => {
    track(socket);
    const connectedAt = Date.now();
    const cursors = new Map<string, JobEventCursor>();
    const reader = readHistory(request.tenantId);
    const cursorFor = async (event: JobEvent): Promise<JobEventCursor> => {
      let cursor = cursors.get(event.jobId);
      if (cursor) return cursor;
      // A job created after this socket connected is streamed from its first event; an older one from here on.
      let start = event.seq - 1;
      if (event.seq > 1) {
        const job = await getJob(deps.db, request.tenantId, event.jobId);
        if (job && job.createdAt.getTime() >= connectedAt - 1_000) start = 0;
      }
      cursor = cursors.get(event.jobId) ?? new JobEventCursor(event.jobId, start, reader, (e) => sendEvent(socket, e));
      cursors.set(event.jobId, cursor);
      return cursor;
    };
    let chain = Promise.resolve();
    const unsubscribe = await deps.events.subscribe(request.tenantId, (event) => {
      chain = chain.then(async () => void (await cursorFor(event)).offer(event)).catch((error: unknown) => request.log.warn({ err: error }, 'stream relay failed'));
    });
    socket.on('close', () => {
      for (const cursor of cursors.values()) cursor.close();
      void unsubscribe();
    });
  });
}

