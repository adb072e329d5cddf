import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.js';
import { registerErrorHandling } from './plugins/error-handler.js';
import { registerTenancy } from './plugins/tenant.js';
import { registerCreateDataset } from './routes/datasets/create-dataset.js';
import { registerGetDataset } from './routes/datasets/get-dataset.js';
import { registerListDatasets } from './routes/datasets/list-datasets.js';
import { registerHealth } from './routes/health.js';
import { registerCancelJob } from './routes/jobs/cancel-job.js';
import { registerCreateJob } from './routes/jobs/create-job.js';
import { registerGetJob } from './routes/jobs/get-job.js';
import { registerCreateModel } from './routes/models/create-model.js';
import { registerExportModel } from './routes/models/export-model.js';
import { registerGetModel } from './routes/models/get-model.js';
import { registerImportModel } from './routes/models/import-model.js';
import { registerPredict } from './routes/predict/predict.js';
import { registerJobStreams } from './ws/job-streams.js';

export interface BuildAppOptions {
  /** Fastify logger: true for JSON logs, false in tests. */
  logger?: boolean | { level: string };
}

/** Builds the Kiln api on its dependencies, without listening (tests use `app.inject` and `app.listen({port: 0})`). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: deps.env.MAX_BODY_BYTES,
    // Slow or stalled uploads are cut off instead of holding a connection forever.
    requestTimeout: 10 * 60_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  registerErrorHandling(app);
  // Requests still in flight when shutdown begins finish, then their connections close instead of idling in
  // keep-alive until the server's timeout holds the exit back.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  registerTenancy(app, deps.defaultTenantId);
  await app.register(websocket, {
    // Clients only listen; a flood of messages is cut here.
    options: { maxPayload: 4 * 1024 },
    // On shutdown, tell clients to reconnect elsewhere (1001 going away), rather than closing without a code.
    preClose(this: FastifyInstance, done: () => void) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      this.websocketServer.close(() => done());
    },
  });
  registerHealth(app, deps);
  await registerCreateDataset(app, deps);
  registerListDatasets(app, deps);
  registerGetDataset(app, deps);
  registerCreateModel(app, deps);
  await registerImportModel(app, deps);
  registerGetModel(app, deps);
  registerExportModel(app, deps);
  registerCreateJob(app, deps);
  registerGetJob(app, deps);
  registerCancelJob(app, deps);
  registerPredict(app, deps);
  registerJobStreams(app, deps);
  return app;
}
