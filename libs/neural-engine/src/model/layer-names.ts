import { ConfigError } from '../errors.js';
import type { Layer } from '../layers/layer.js';

/** Gives unnamed layers Keras-style unique names (dense, dense_1, ...) and rejects duplicate explicit names. */
export function assignUniqueNames(layers: readonly Layer[]): void {
  const used = new Set(layers.map((l) => l.name).filter(Boolean));
  const seen = new Set<string>();
  layers.forEach((layer, i) => {
    if (layer.name) {
      if (seen.has(layer.name)) {
        throw new ConfigError(`layers[${i}].name: duplicate layer name ${JSON.stringify(layer.name)}`, [
          { path: `layers[${i}].name`, message: 'duplicate layer name', received: layer.name },
        ]);
      }
      seen.add(layer.name);
      return;
    }
    const base = snakeCase(layer.className);
    let name = base;
    for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    seen.add(name);
    layer.name = name;
  });
}

/** `LeakyReLU` → `leaky_re_lu`, `Dense` → `dense`: the Keras naming rule for default layer names. */
function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Re-roots a layer's ConfigError at its position in the model (`layers[2]`), so messages point into the definition. */
export function prefixError(e: unknown, path: string, layerName?: string): unknown {
  if (!(e instanceof ConfigError)) return e;
  const issues = e.issues.map((i) => ({ ...i, path: i.path && i.path !== layerName ? `${path}.${i.path}` : path }));
  const message = e.message.startsWith(path) ? e.message : `${path}: ${e.message}`;
  return new ConfigError(message, issues);
}
