import { z } from 'zod';

/** Where a job stands. `queued → running → succeeded | failed | cancelled`; a retried attempt goes back to queued. */
export const jobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const terminalJobStatuses: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/** Why a job failed, machine-readable. DIVERGED (non-finite loss) is never retried. */
export const jobErrorSchema = z.object({ code: z.string(), message: z.string() });
export type JobError = z.infer<typeof jobErrorSchema>;

const logsSchema = z.record(z.string(), z.number());

/** Per-layer L2 norms of the gradients (mean and max over the batches) and of the weights. */
export const layerDiagnosticsSchema = z.object({
  layer: z.string(),
  gradNorm: z.number(),
  gradNormMax: z.number(),
  weightNorm: z.number(),
});

/** The payload of each event type. */
export const jobEventDataSchemas = {
  status: z.object({ status: jobStatusSchema, attempt: z.number().int(), epoch: z.number().int(), error: jobErrorSchema.optional() }),
  batch: z.object({ epoch: z.number().int(), batch: z.number().int(), batches: z.number().int(), loss: z.number(), logs: logsSchema }),
  epoch: z.object({
    epoch: z.number().int(),
    epochs: z.number().int(),
    logs: logsSchema,
    learningRate: z.number().nullable(),
    durationMs: z.number(),
    samplesPerSecond: z.number(),
  }),
  diagnostics: z.object({ epoch: z.number().int(), batch: z.number().int().nullable(), layers: z.array(layerDiagnosticsSchema) }),
  checkpoint: z.object({ epoch: z.number().int(), sizeBytes: z.number().int() }),
  done: z.object({
    status: jobStatusSchema,
    epoch: z.number().int(),
    modelVersion: z.number().int().nullable(),
    finalMetrics: logsSchema.nullable(),
    error: jobErrorSchema.optional(),
  }),
} as const;

export type JobEventType = keyof typeof jobEventDataSchemas;
export const jobEventTypes = Object.keys(jobEventDataSchemas) as JobEventType[];

const eventOf = <T extends JobEventType>(type: T) =>
  z.object({
    jobId: z.uuid(),
    /** Per job, starting at 1, no gaps: the cursor of `?after=`. */
    seq: z.number().int().positive(),
    type: z.literal(type),
    time: z.iso.datetime(),
    data: jobEventDataSchemas[type],
  });

/** One event of a job's live stream (WebSocket message, Redis pub/sub message, row of the event log). */
export const jobEventSchema = z.discriminatedUnion('type', [
  eventOf('status'),
  eventOf('batch'),
  eventOf('epoch'),
  eventOf('diagnostics'),
  eventOf('checkpoint'),
  eventOf('done'),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;

/** An event before the log gives it its seq and time. */
export type NewJobEvent = { [K in JobEventType]: { type: K; data: z.input<(typeof jobEventDataSchemas)[K]> } }[JobEventType];
