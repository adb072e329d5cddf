import type { Prisma } from './generated/client.js';

/** A write from an attempt that no longer owns its job (a newer attempt started, or the job was cancelled or ended). */
export class FencedError extends Error {
  constructor(readonly jobId: string, readonly attempt: number) {
    super(`job ${jobId}: attempt ${attempt} no longer owns the job; its write was rejected`);
    this.name = 'FencedError';
  }
}

/**
 * Locks the job row for the rest of the transaction if `attempt` still owns it (status running, same attempt), and
 * throws FencedError otherwise: the compare-and-set that keeps a stale worker's writes out (split brain, stalls).
 */
export async function fenceAttempt(tx: Prisma.TransactionClient, jobId: string, attempt: number): Promise<void> {
  const { count } = await tx.job.updateMany({ where: { id: jobId, attempt, status: 'running' }, data: { updatedAt: new Date() } });
  if (count === 0) throw new FencedError(jobId, attempt);
}
