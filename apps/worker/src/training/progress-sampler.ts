import type { LayerDiagnostics, ProgressEvent } from '@kiln/neural-engine';
import type { BatchMessage } from '../trainer-protocol.js';

type BatchEvent = Extract<ProgressEvent, { type: 'batch' }>;

/**
 * Turns the engine's per-batch progress into batch messages at a bounded rate (dashboards need a few points per
 * second, not every batch), with progress, throughput and ETA over this attempt's batches. Time spent waiting for the
 * main thread's checkpoint acks is not training time and is left out.
 */
export class ProgressSampler {
  private readonly minIntervalMs: number;
  private readonly startedAt: number;
  private lastSentAt: number;
  private batchesDone = 0;
  private samplesDone = 0;
  private pausedMs = 0;
  private pendingDiagnostics: { batch: number; layers: LayerDiagnostics[] } | null = null;

  constructor(
    private readonly options: { epochs: number; rows: number; batchSize: number; messagesPerSecond: number },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.minIntervalMs = 1000 / options.messagesPerSecond;
    this.startedAt = now();
    this.lastSentAt = this.startedAt;
  }

  /** Time not spent training (waiting for an ack), excluded from throughput and ETA. */
  addPause(ms: number): void {
    this.pausedMs += ms;
  }

  /** The message to send for this batch, or null when it is sampled out. */
  batch(event: BatchEvent): BatchMessage | null {
    const { epoch, batch, batches, epochs } = { ...event, epochs: this.options.epochs };
    this.batchesDone++;
    this.samplesDone += Math.min(this.options.batchSize, this.options.rows - batch * this.options.batchSize);
    if (event.diagnostics) this.pendingDiagnostics = { batch, layers: event.diagnostics };
    const now = this.now();
    // The last batch of an epoch is covered by the epoch message that follows at once.
    if (batch + 1 >= batches || now - this.lastSentAt < this.minIntervalMs) return null;
    this.lastSentAt = now;
    const elapsedMs = Math.max(now - this.startedAt - this.pausedMs, 1e-3);
    const remainingBatches = (epochs - epoch - 1) * batches + (batches - batch - 1);
    const message: BatchMessage = {
      type: 'batch',
      epoch,
      batch,
      batches,
      loss: event.batchLoss,
      logs: event.logs,
      diagnostics: this.pendingDiagnostics,
      progress: Math.min(1, (epoch + (batch + 1) / batches) / epochs),
      etaSeconds: (remainingBatches * elapsedMs) / this.batchesDone / 1000,
      samplesPerSecond: (this.samplesDone * 1000) / elapsedMs,
    };
    this.pendingDiagnostics = null;
    return message;
  }
}
