/**
 * Kiln's zod schemas: the single source of the HTTP API's types, validation and OpenAPI, of the
 * job configuration (composing the engine's model, compile and fit schemas) and of the environment.
 */
export * from './env.js';
export * from './errors.js';
export * from './training-job.js';
export * from './job-events.js';
