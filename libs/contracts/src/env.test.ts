import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, EnvError, parseEnv } from './env.js';

describe('parseEnv', () => {
  it('applies the local defaults to an empty environment', () => {
    expect(parseEnv({})).toMatchObject({
      DATABASE_URL: DEFAULT_DATABASE_URL,
      REDIS_URL: DEFAULT_REDIS_URL,
      PORT: 3000,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      QUEUE_PREFIX: 'kiln',
      MAX_UPLOAD_BYTES: 1024 ** 3,
      PREDICT_MAX_ROWS: 10_000,
      WORKER_CONCURRENCY: 1,
      WORKER_LOCK_DURATION_MS: 30_000,
      TRAINING_BACKEND: 'wasm',
      TRAINING_THREADS: availableParallelism(),
    });
    expect(parseEnv({ TRAINING_BACKEND: 'js' }).TRAINING_BACKEND).toBe('js');
    expect(parseEnv({ TRAINING_THREADS: '3' }).TRAINING_THREADS).toBe(3);
    expect(() => parseEnv({ TRAINING_THREADS: '0' })).toThrow(/TRAINING_THREADS/);
    expect(() => parseEnv({ TRAINING_BACKEND: 'gpu' })).toThrow(/TRAINING_BACKEND/);
  });

  it('treats empty variables as unset and ignores unrelated ones', () => {
    const env = parseEnv({ PORT: '', DATABASE_URL: '', HOME: '/root' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
    expect(env).not.toHaveProperty('HOME');
  });

  it('reads every variable and coerces the port', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgres://kiln:secret@db.internal:6432/kiln_prod',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      PORT: '8080',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://kiln:secret@db.internal:6432/kiln_prod',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      PORT: 8080,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    });
  });

  it('names every bad variable in one readable error, without echoing URLs', () => {
    let caught: unknown;
    try {
      parseEnv({
        DATABASE_URL: 'mysql://root:hunter2@127.0.0.1/kiln',
        REDIS_URL: 'not a url',
        PORT: 'eighty',
        NODE_ENV: 'staging',
        LOG_LEVEL: 'verbose',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const error = caught as EnvError;
    expect(error.issues.map((i) => i.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'PORT', 'REDIS_URL']);
    expect(error.message).toMatch(/^Invalid environment:\n/);
    expect(error.message).toContain('  DATABASE_URL: expected a postgresql:// or postgres:// URL');
    expect(error.message).toContain('  REDIS_URL: expected a redis:// or rediss:// URL');
    expect(error.message).toContain('  PORT: expected a port number (0-65535), received "eighty"');
    expect(error.message).toMatch(/ {2}NODE_ENV: .*"development"\|"test"\|"production"/);
    expect(error.message).toContain('  LOG_LEVEL: ');
    expect(error.message).not.toContain('hunter2');
  });

  it('reads limits as positive integers and names a bad one', () => {
    expect(parseEnv({ MAX_UPLOAD_BYTES: '1048576', WORKER_LOCK_DURATION_MS: '2000' })).toMatchObject({ MAX_UPLOAD_BYTES: 1_048_576, WORKER_LOCK_DURATION_MS: 2000 });
    expect(() => parseEnv({ PREDICT_MAX_ROWS: '0' })).toThrow('PREDICT_MAX_ROWS: expected a positive integer, received "0"');
    expect(() => parseEnv({ QUEUE_PREFIX: 'a b' })).toThrow(/QUEUE_PREFIX: expected letters/);
  });

  it.each([['-1'], ['65536'], ['80.5']])('rejects the port %s', (PORT) => {
    expect(() => parseEnv({ PORT })).toThrow(/PORT: expected a port number \(0-65535\)/);
  });
});
