import type { Db } from './job-events.js';

/** Until API keys arrive, every request belongs to this tenant. */
export const DEFAULT_TENANT_NAME = 'default';

/** The id of a tenant by name, created on first use (idempotent under concurrency). */
export async function ensureTenant(db: Db, name: string = DEFAULT_TENANT_NAME): Promise<string> {
  const tenant = await db.tenant.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
  return tenant.id;
}
