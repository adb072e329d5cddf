/**
 * The one error type for invalid definitions and configurations: it names where the problem is (a JSON path such as
 * `layers[2].units`) and what was received, so that a user can fix the request without reading engine code.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';
  constructor(
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
  ) {
    super(message);
  }
}

/** One problem found in a configuration. */
export interface ConfigIssue {
  /** Where, as a JSON path: `layers[1].activation`. Empty for the root. */
  readonly path: string;
  /** What was wrong and what was expected. */
  readonly message: string;
  /** The value found at `path` (absent when the property was missing). */
  readonly received?: unknown;
}

/** Data handed to fit/evaluate/predict is unusable (NaN, Infinity, wrong shape, mismatched lengths). */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly code = 'INVALID_DATA';
}

/** Training produced a non-finite loss; the reason names the epoch and batch. */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
  readonly code = 'DIVERGED';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
  ) {
    super(`loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}; lower the learning rate or clip gradients`);
  }
}

/** Formats a path array from zod (or our own walkers) as `layers[2].units`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Short, JSON-ish rendering of a received value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
