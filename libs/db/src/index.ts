/**
 * Kiln's data layer. The only package that imports the generated Prisma client
 * (prisma/schema.prisma → src/generated, written by `prisma generate`). Every query is scoped by tenant.
 */
export { createPrismaClient, type CreatePrismaClientOptions } from './client.js';
export { Prisma, type PrismaClient, type Tenant } from './generated/client.js';
export { appendJobEvents, insertJobEvents, listJobEvents, type Db } from './job-events.js';
export { FencedError, fenceAttempt } from './fence.js';
export { DEFAULT_TENANT_NAME, ensureTenant } from './tenants.js';
export * from './pagination.js';
export * from './datasets.js';
export * from './models.js';
export * from './jobs.js';
export { toBytes } from './bytes.js';
export * from './dataset-arrays.js';
export * from './job-runs.js';
