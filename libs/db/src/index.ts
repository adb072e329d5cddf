/**
 * Kiln's data layer. The only package that imports the generated Prisma client
 * (prisma/schema.prisma → src/generated, written by `prisma generate`).
 */
export { createPrismaClient, type CreatePrismaClientOptions } from './client.js';
export { Prisma, type PrismaClient, type Tenant } from './generated/client.js';
