import type { JobEvent, NewJobEvent } from '@kiln/contracts';
import type { Prisma, PrismaClient } from './generated/client.js';

/** A Prisma client or an interactive transaction: repository functions take either. */
export type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Appends events to a job's log inside the caller's transaction and returns them with their seq.
 * Incrementing Job.lastSeq locks the job row until commit, so concurrent writers serialize and seqs
 * have no gaps; publish the returned events only after the transaction commits.
 */
export async function appendJobEvents(tx: Prisma.TransactionClient, job: { id: string; tenantId: string }, events: readonly NewJobEvent[]): Promise<JobEvent[]> {
  if (events.length === 0) return [];
  const { lastSeq } = await tx.job.update({
    where: { id: job.id },
    data: { lastSeq: { increment: events.length } },
    select: { lastSeq: true },
  });
  const time = new Date();
  const first = lastSeq - events.length + 1;
  const rows = events.map((event, i) => ({ jobId: job.id, tenantId: job.tenantId, seq: first + i, type: event.type, data: asStoredJson(event.data) as Prisma.InputJsonValue, createdAt: time }));
  await tx.jobEvent.createMany({ data: rows });
  return rows.map((row) => toJobEvent(row));
}

/**
 * The value as Postgres will give it back through Prisma, which writes JSON numbers with 16 significant digits
 * (0.18269230769230768 is stored as 0.1826923076923077). Live events carry exactly what the history will replay.
 */
export function asStoredJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(16)) : value;
  if (Array.isArray(value)) return value.map(asStoredJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asStoredJson(v)]));
  return value;
}

/** Events of a job after a seq, in order (the history a stream replays before going live). */
export async function listJobEvents(db: Db, tenantId: string, jobId: string, options: { after?: number; limit?: number; types?: readonly string[] } = {}): Promise<JobEvent[]> {
  const rows = await db.jobEvent.findMany({
    where: { tenantId, jobId, seq: { gt: options.after ?? 0 }, ...(options.types ? { type: { in: [...options.types] } } : {}) },
    orderBy: { seq: 'asc' },
    take: options.limit ?? 1000,
  });
  return rows.map((row) => toJobEvent(row));
}

function toJobEvent(row: { jobId: string; seq: number; type: string; data: unknown; createdAt: Date }): JobEvent {
  return { jobId: row.jobId, seq: row.seq, type: row.type, time: row.createdAt.toISOString(), data: row.data } as JobEvent;
}
