import type { JobEvent, NewJobEvent } from '@kiln/contracts';
import { Prisma, type PrismaClient } from './generated/client.js';

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
  return insertJobEvents(tx, job, lastSeq - events.length + 1, events);
}

/**
 * Writes event rows at seqs already reserved on the job row, and returns the events as the history will replay them.
 * Raw SQL with the JSON as text: Prisma's Json columns write numbers with 16 significant digits
 * (0.18269230769230768 becomes 0.1826923076923077), and live events must equal the replayed ones.
 */
export async function insertJobEvents(tx: Prisma.TransactionClient, job: { id: string; tenantId: string }, firstSeq: number, events: readonly NewJobEvent[]): Promise<JobEvent[]> {
  if (events.length === 0) return [];
  const time = new Date();
  const rows = events.map((event, i) => ({ seq: firstSeq + i, type: event.type, data: event.data }));
  const values = rows.map((r) => Prisma.sql`(${job.id}::uuid, ${r.seq}, ${job.tenantId}::uuid, ${r.type}, ${JSON.stringify(r.data)}::jsonb, ${time})`);
  await tx.$executeRaw`INSERT INTO "JobEvent" ("jobId", "seq", "tenantId", "type", "data", "createdAt") VALUES ${Prisma.join(values)}`;
  return rows.map((r) => toJobEvent({ jobId: job.id, seq: r.seq, type: r.type, data: r.data, createdAt: time }));
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
