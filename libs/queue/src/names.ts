/** Keys of one Kiln deployment in Redis start with this prefix; tests use their own so they never collide. */
export const DEFAULT_QUEUE_PREFIX = 'kiln';

/** The BullMQ queue of training jobs. */
export const TRAINING_QUEUE = 'training';

/** Pub/sub channel of the live events of one tenant's jobs. */
export const tenantEventsChannel = (prefix: string, tenantId: string): string => `${prefix}:events:${tenantId}`;

/** Pub/sub channel on which the api asks workers to cancel a running job. */
export const cancelChannel = (prefix: string): string => `${prefix}:cancel`;
