/** Queue names, the training job payload, Redis connection factories and the live event bus. */
export * from './names.js';
export * from './payload.js';
export * from './connections.js';
export * from './training-queue.js';
export * from './event-bus.js';
export * from './delete-prefix.js';
