import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant this request acts for; every query is scoped by it. */
    tenantId: string;
  }
}

/**
 * Resolves the tenant of every request. Today all requests act for the default tenant; API keys will resolve it
 * from the Authorization header here, and no query needs to change.
 */
export function registerTenancy(app: FastifyInstance, defaultTenantId: string): void {
  app.decorateRequest('tenantId', '');
  app.addHook('onRequest', async (request) => {
    request.tenantId = defaultTenantId;
  });
}
