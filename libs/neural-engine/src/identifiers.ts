import { ConfigError } from './errors.js';

/**
 * Names are matched the way users write them in Keras and TensorFlow.js alike: `glorot_uniform`, `glorotUniform` and
 * `GlorotUniform` are the same identifier.
 */
export function normalizeIdentifier(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

/** A table of named things (activations, losses, optimizers...) looked up by any spelling of their name. */
export class Registry<T> {
  private readonly byKey = new Map<string, { name: string; value: T }>();

  constructor(readonly kind: string) {}

  /** Registers `value` under its canonical name and any aliases. */
  register(name: string, value: T, aliases: readonly string[] = []): void {
    for (const n of [name, ...aliases]) this.byKey.set(normalizeIdentifier(n), { name, value });
  }

  has(name: string): boolean {
    return this.byKey.has(normalizeIdentifier(name));
  }

  /** Canonical name of `name`, or undefined when unknown. */
  canonicalName(name: string): string | undefined {
    return this.byKey.get(normalizeIdentifier(name))?.name;
  }

  /** Looks a name up; unknown names throw a ConfigError listing what exists. */
  get(name: string, path = ''): T {
    const hit = this.byKey.get(normalizeIdentifier(name));
    if (!hit) {
      const message = `unknown ${this.kind} ${JSON.stringify(name)}; expected one of ${this.names().join(', ')}`;
      throw new ConfigError(path ? `${path}: ${message}` : message, [{ path, message, received: name }]);
    }
    return hit.value;
  }

  /** Canonical names, sorted. */
  names(): string[] {
    return [...new Set([...this.byKey.values()].map((e) => e.name))].sort();
  }
}
