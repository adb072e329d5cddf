import { z } from 'zod';

/** What a BullMQ training job carries: only the id of the job row in Postgres (BullMQ jobId = the same id). */
export const trainingJobPayloadSchema = z.strictObject({ jobId: z.uuid() });
export type TrainingJobPayload = z.infer<typeof trainingJobPayloadSchema>;
