import { ConfigError, describeValue } from '../errors.js';

/** Who a problem concerns: a layer by name and Keras class, or the model as a whole. */
export interface LayerRef {
  name: string;
  className: string;
}

/**
 * The ConfigError of an import or export problem about one layer: `layer "dense_1" (Dense): <problem>`, with the layer
 * name as the issue path and the offending value as `received`.
 */
export function layerError(layer: LayerRef, problem: string, received?: unknown): ConfigError {
  const suffix = received === undefined ? '' : ` (received ${describeValue(received)})`;
  const message = `layer "${layer.name}" (${layer.className}): ${problem}${suffix}`;
  return new ConfigError(message, [received === undefined ? { path: layer.name, message: problem } : { path: layer.name, message: problem, received }]);
}

/** Re-roots a ConfigError raised while validating one layer's mapped config under that layer's name and class. */
export function withinLayer(layer: LayerRef, error: unknown): unknown {
  if (!(error instanceof ConfigError)) return error;
  const who = `layer "${layer.name}" (${layer.className})`;
  return new ConfigError(
    `${who}: ${error.message}`,
    error.issues.map((i) => ({ ...i, path: i.path ? `${layer.name}.${i.path}` : layer.name })),
  );
}

/** A ConfigError about the model file as a whole (its format, its weights), at `path`. */
export function modelError(path: string, problem: string, received?: unknown): ConfigError {
  const suffix = received === undefined ? '' : ` (received ${describeValue(received)})`;
  return new ConfigError(`${path ? `${path}: ` : ''}${problem}${suffix}`, [received === undefined ? { path, message: problem } : { path, message: problem, received }]);
}
