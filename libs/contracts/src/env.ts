import { z } from 'zod';

/** Local defaults: `npm start` works with the Postgres and Redis of a development machine. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/kiln';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

// An empty variable (`PORT=`) means "not set", as in most shells' .env conventions.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const urlWithScheme = (schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      return schemes.includes(new URL(value).protocol.slice(0, -1));
    },
    // The value is not repeated: database URLs carry passwords.
    { error: `expected a ${schemes.map((s) => `${s}://`).join(' or ')} URL` },
  );

/** The process environment every Kiln process reads, once, at boot. */
export const envSchema = z.object({
  DATABASE_URL: z.preprocess(unsetIfEmpty, urlWithScheme(['postgresql', 'postgres']).default(DEFAULT_DATABASE_URL)),
  REDIS_URL: z.preprocess(unsetIfEmpty, urlWithScheme(['redis', 'rediss']).default(DEFAULT_REDIS_URL)),
  PORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, { error: (issue) => `expected a port number (0-65535), received ${JSON.stringify(issue.input)}` })
      .transform(Number)
      .pipe(z.number().max(65_535, { error: 'expected a port number (0-65535)' }))
      .default(3000),
  ),
  NODE_ENV: z.preprocess(unsetIfEmpty, z.enum(['development', 'test', 'production']).default('development')),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type Env = z.output<typeof envSchema>;

/** Thrown by parseEnv; the message names every bad variable on its own line. */
export class EnvError extends Error {
  constructor(readonly issues: readonly { variable: string; message: string }[]) {
    super(`Invalid environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment (normally `process.env`), applying the local defaults; throws EnvError. */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })));
}
