/** Log levels in order of severity, as the LOG_LEVEL variable names them. */
const levels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
export type LogLevel = keyof typeof levels;

export type LogFields = Record<string, unknown>;

/** Structured logging: one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the job id). */
  child(fields: LogFields): Logger;
}

/** A logger writing JSON lines (`{"time","level","msg",...}`) at or above `level` to `write` (stdout by default). */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line), base: LogFields = {}): Logger {
  const threshold = levels[level];
  const emit = (name: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (levels[name] < threshold) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: name, msg, ...base, ...fields }, errorReplacer)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
  };
}

// Errors serialize to {} by default; keep what helps: name, message, code.
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, ...('code' in value ? { code: (value as { code: unknown }).code } : {}) };
  return value;
}
